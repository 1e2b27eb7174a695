import { frameCount, FRONT_END_SETTINGS, N_MFCC, SAMPLE_RATE_HZ } from '../audio/mfcc-settings.ts';
import type { MfccExtractor } from '../audio/mfcc-wasm.ts';
import type { GpuTensors } from '../backends/webgpu/tensors.ts';
import { expectPassFits } from '../backends/webgpu/pass-fits.ts';
import { GpuError } from '../errors.ts';
import { checkModel } from '../infer/checked-model.ts';
import { uploadStore } from '../infer/model-state.ts';
import { predictProbabilities, runInference } from '../infer/predict.ts';
import { decodeModel } from '../io/model-file.ts';
import type { MsseConfig } from '../model/config.ts';
import { fusedParamsFromHost, fusedTensors } from '../model/msse-fused.ts';
import { largestTensorBytes } from '../model/pass-size.ts';
import { profilePass } from '../profile/ops-profile.ts';
import { hasFusedKernels, type InferenceBackend } from '../runtime/backend.ts';
import { expectSampleRate, toMono } from './audio.ts';
import { createStream } from './stream.ts';
import type { BackendInfo, Classification, MsseModel } from './types.ts';

/** Utterances per forward in classifyBatch at most: the training batch. */
const MAX_BATCH = 64;

/**
 * Utterances per forward on the wasm backend: every activation of a forward lives in linear memory until the step
 * ends (25 MiB at batch 1, 1.55 GiB at 64: bench/RESULTS.md), and a page's memory is bounded; per utterance, batch 8
 * is within a few percent of 64.
 */
const WASM_BATCH = 8;

/**
 * Utterances per forward for this model on this backend: on WebGPU as many (up to MAX_BATCH) as the device can bind
 * the largest activation of (a long model's TF-fusion tensor reaches 128 MiB at a few utterances).
 * @throws GpuError when even one utterance does not fit, saying what to do
 */
function batchFor(open: OpenInference, config: MsseConfig, frames: number): number {
  if (open.info.name === 'wasm') return WASM_BATCH;
  if (open.tensors === undefined) return MAX_BATCH;
  const limits = open.tensors.ctx.gpu.limits;
  const perUtterance = largestTensorBytes(config, 1, frames);
  expectPassFits(limits, perUtterance, `one utterance of ${frames} frames`, "use backend 'wasm' or a model of a shorter length");
  const limit = Math.min(limits['maxStorageBufferBindingSize'] ?? Infinity, limits['maxBufferSize'] ?? Infinity);
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(limit / perUtterance)));
}

/** A backend opened for one model: what runs it, what to tell the user, and how to let it go. */
export interface OpenInference {
  readonly backend: InferenceBackend;
  readonly info: BackendInfo;
  /** The WebGPU tensors behind a webgpu backend (for profile()); undefined otherwise. */
  readonly tensors: GpuTensors | undefined;
  close(): void;
}

/**
 * A model from the bytes of its safetensors file (named `file` in errors), on an opened backend, with the
 * WebAssembly front end: the platform-free part of loadModel. The file is checked (format, config, labels, front
 * end) before anything is uploaded.
 */
export function createModel(bytes: Uint8Array, file: string, open: OpenInference, extractor: MfccExtractor): MsseModel {
  const { model, config, lengthSamples } = checkModel(decodeModel(bytes, file));
  const { backend } = open;
  const params = uploadStore(backend, config, { parameters: model.parameters, buffers: model.buffers }, file);
  // The forward: fused (BatchNorm folded, ~20 dispatches) where the backend has the fused kernels, else unfused.
  const fused = hasFusedKernels(backend) ? fusedParamsFromHost(backend, config, { parameters: model.parameters, buffers: model.buffers }) : undefined;
  const frames = frameCount(lengthSamples);
  const exampleSize = frames * N_MFCC;
  const labels = model.labels;
  const batch = batchFor(open, config, frames);

  const mfcc = (audio: Parameters<MsseModel['mfcc']>[0], sampleRateHz: number): Float32Array => {
    expectSampleRate(sampleRateHz);
    return extractor.mfcc(toMono(audio), sampleRateHz, lengthSamples);
  };
  const classifyFeatures = async (features: Float32Array): Promise<Classification[]> => {
    const probs = await predictProbabilities(backend, config, params, features, frames, batch, { fused: fused ?? false });
    return Array.from({ length: features.length / exampleSize }, (_, i) => {
      const row = probs.subarray(i * labels.length, (i + 1) * labels.length);
      const top = row.indexOf(Math.max(...row));
      return { label: labels[top]!, probs: Object.fromEntries(labels.map((label, c) => [label, row[c]!])) };
    });
  };
  const classify: MsseModel['classify'] = async (audio, sampleRateHz) => (await classifyFeatures(mfcc(audio, sampleRateHz)))[0]!;

  return {
    labels,
    config,
    frontEnd: { ...FRONT_END_SETTINGS, lengthSamples },
    provenance: model.provenance,
    backend: open.info,
    mfcc,
    classify,
    async classifyBatch(inputs) {
      const features = new Float32Array(inputs.length * exampleSize);
      inputs.forEach(({ audio, sampleRateHz }, i) => features.set(mfcc(audio, sampleRateHz), i * exampleSize));
      return classifyFeatures(features);
    },
    stream: (options) => createStream(options, lengthSamples / SAMPLE_RATE_HZ, classify),
    async profile() {
      if (open.tensors === undefined) throw new GpuError(`profile() times WebGPU dispatches; this model runs on ${open.info.description}`);
      const input = new Float32Array(exampleSize);
      const pass = {
        name: fused === undefined ? ('forward (inference)' as const) : ('fused forward (inference)' as const),
        batch: 1,
        frames,
        record: () => runInference(backend, config, params, backend.upload(input, [1, frames, config.feat], 'x', { transient: true }), fused).logits,
      };
      return profilePass(backend, open.tensors, pass, 5);
    },
    dispose() {
      for (const tensor of [...params.params.values(), ...params.buffers.values(), ...(fused === undefined ? [] : fusedTensors(fused))]) backend.dispose(tensor);
      open.close();
    },
  };
}
