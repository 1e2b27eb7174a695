import type { AdapterDescription } from '../backends/webgpu/device.ts';
import type { MsseConfig } from '../model/config.ts';
import type { FrontEndSettings } from '../audio/mfcc-settings.ts';
import type { OpProfile } from '../profile/ops-profile.ts';

/** Which backend runs the network: `auto` takes WebGPU where an adapter answers (see loadModel). */
export type BackendChoice = 'auto' | 'webgpu' | 'wasm' | 'reference';

/** Audio as given: mono samples, or one Float32Array per channel (averaged to mono). Values in [−1, 1]. */
export type Audio = Float32Array | readonly Float32Array[];

export interface LoadProgress {
  readonly loadedBytes: number;
  /** From Content-Length; undefined when the server does not say. */
  readonly totalBytes: number | undefined;
}

export interface LoadOptions {
  /** Default 'auto'. */
  readonly backend?: BackendChoice;
  /** Called as the model file arrives (URL sources), and once when it is complete. */
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Aborts a pending download or adapter request. */
  readonly signal?: AbortSignal;
  /**
   * Threads of the wasm backend. Default: the cores, up to 4, in Node; in a page the same where it is cross-origin
   * isolated (shared memory needs COOP and COEP headers), else 1. Results are the same bits whatever the count.
   */
  readonly threads?: number;
}

/** The backend that actually runs the model; msse never falls back silently. */
export interface BackendInfo {
  readonly name: 'webgpu' | 'wasm' | 'reference';
  /** The WebGPU adapter: the one that runs (webgpu), or the one `auto` passed over for the wasm backend. */
  readonly adapter: AdapterDescription | undefined;
  /**
   * One line for people: `webgpu on … (opengles, compatibility)`, `wasm (WebAssembly SIMD128 on the CPU, 2
   * threads); the WebGPU adapter is software: …`, `reference (float64 TypeScript on the CPU)`.
   */
  readonly description: string;
}

/** One classification: the most probable label and every class's probability. */
export interface Classification {
  readonly label: string;
  readonly probs: Readonly<Record<string, number>>;
}

/** One window of a stream or a timeline: seconds of the input it covers, and its classification. */
export interface WindowResult extends Classification {
  readonly startSeconds: number;
  readonly endSeconds: number;
}

export interface StreamOptions {
  /** The rate of the chunks that will be pushed. */
  readonly sampleRateHz: number;
  /** Window length; default the model's training length (96000 samples at 22050 Hz for EMO-DB: 4.35 s). */
  readonly windowSeconds?: number;
  /** Time between results; default 0.5 s. */
  readonly hopSeconds?: number;
  readonly onResult: (result: WindowResult) => void;
}

/** Audio in, one result per hop out (see MsseModel.stream). */
export interface AudioStream {
  /** Appends samples (mono, or one array per channel) at the stream's rate; resolves once its windows are classified. */
  push(chunk: Audio): Promise<void>;
  /** Classifies what is left (see MsseModel.stream) and closes the stream. */
  end(): Promise<void>;
}

/** A loaded model, ready to classify (loadModel). */
export interface MsseModel {
  /** Class names, in the model's output order. */
  readonly labels: readonly string[];
  readonly config: MsseConfig;
  /** The MFCC settings it was trained with, the signal length included. */
  readonly frontEnd: FrontEndSettings;
  /** How the model was made (data, seed, epochs, cross-validated figures), as stored in the file. */
  readonly provenance: Readonly<Record<string, unknown>>;
  readonly backend: BackendInfo;
  /** Classifies one utterance at any sample rate; it is resampled to 22050 Hz and fitted to the model's length. */
  classify(audio: Audio, sampleRateHz: number): Promise<Classification>;
  /** classify for several utterances, in batches. */
  classifyBatch(inputs: readonly { readonly audio: Audio; readonly sampleRateHz: number }[]): Promise<Classification[]>;
  /** The network's input for `audio`: frames × 39 MFCCs, frames-major. */
  mfcc(audio: Audio, sampleRateHz: number): Float32Array;
  /**
   * Classifies audio that arrives in chunks: once per hop, the last window. A result needs a full window, except
   * that `end()` classifies an input shorter than one window once as a whole, and the last window of the input when
   * samples arrived after the last result. A whole file pushed at once gives its timeline.
   */
  stream(options: StreamOptions): AudioStream;
  /** Every dispatch of one batch-1 forward with its time, FLOPs and bytes, as `msse inspect --ops` (webgpu only). */
  profile(): Promise<OpProfile>;
  /** Frees the model's tensors and the GPU device. */
  dispose(): void;
}
