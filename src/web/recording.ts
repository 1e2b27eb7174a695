import { encodeWavFloat32 } from '../audio/wav-encode.ts';

/** At most this much of a microphone session is kept for download (2 min at 48 kHz: 23 MB of float32). */
const MAX_RECORDING_SECONDS = 120;

/**
 * What a microphone session fed the model, kept so it can be downloaded as a WAV and replayed (by `msse classify
 * --timeline`, or the library's stream, which then give the same results): the first MAX_RECORDING_SECONDS.
 */
export class Recording {
  private readonly chunks: Float32Array[] = [];
  private frames = 0;

  constructor(readonly sampleRateHz: number) {}

  /** Keeps a copy of `chunk` (the worklet may reuse its buffer) while under the cap; false once it is full. */
  append(chunk: Float32Array): boolean {
    const room = MAX_RECORDING_SECONDS * this.sampleRateHz - this.frames;
    if (room <= 0) return false;
    const kept = chunk.slice(0, room);
    this.chunks.push(kept);
    this.frames += kept.length;
    return kept.length === chunk.length;
  }

  /** Seconds kept. */
  get seconds(): number {
    return this.frames / this.sampleRateHz;
  }

  /** The session as a mono float32 WAV. */
  wav(): Uint8Array {
    const samples = new Float32Array(this.frames);
    let offset = 0;
    for (const chunk of this.chunks) {
      samples.set(chunk, offset);
      offset += chunk.length;
    }
    return encodeWavFloat32(samples, this.sampleRateHz);
  }
}
