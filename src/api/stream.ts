import { MsseError } from '../errors.ts';
import { toMono, expectSampleRate } from './audio.ts';
import type { AudioStream, Classification, StreamOptions } from './types.ts';

/** Default time between results. */
const DEFAULT_HOP_SECONDS = 0.5;

/**
 * The windowing of MsseModel.stream over `classify` (mono samples at the stream's rate): keeps the last window of
 * samples, and every `hop` samples, once a whole window has arrived, classifies it. `end()` adds the input's last
 * window when samples came after the last result, or the whole input when it never filled a window.
 */
export function createStream(
  options: StreamOptions,
  defaultWindowSeconds: number,
  classify: (samples: Float32Array, sampleRateHz: number) => Promise<Classification>,
): AudioStream {
  const { sampleRateHz, onResult } = options;
  expectSampleRate(sampleRateHz);
  const windowSeconds = options.windowSeconds ?? defaultWindowSeconds;
  const hopSeconds = options.hopSeconds ?? DEFAULT_HOP_SECONDS;
  for (const [name, value] of [['windowSeconds', windowSeconds], ['hopSeconds', hopSeconds]] as const) {
    if (!(Number.isFinite(value) && value > 0)) throw new MsseError(`stream: ${name} is ${value}; expected a positive number of seconds`);
  }
  const window = Math.max(1, Math.round(windowSeconds * sampleRateHz));
  const hop = Math.max(1, Math.round(hopSeconds * sampleRateHz));
  const recent = new Float32Array(window);
  let total = 0; // samples pushed so far
  let lastEnd = 0; // input sample where the last result's window ended
  let nextEnd = Math.ceil(window / hop) * hop; // the first hop boundary with a whole window before it
  let ended = false;

  /** The last min(window, total) samples, oldest first. */
  const lastWindow = (): Float32Array => {
    const n = Math.min(window, total);
    const out = new Float32Array(n);
    const start = (total - n) % window;
    const head = Math.min(n, window - start);
    out.set(recent.subarray(start, start + head), 0);
    out.set(recent.subarray(0, n - head), head);
    return out;
  };
  const emit = async (): Promise<void> => {
    const samples = lastWindow();
    const result = await classify(samples, sampleRateHz);
    lastEnd = total;
    onResult({ ...result, startSeconds: (total - samples.length) / sampleRateHz, endSeconds: total / sampleRateHz });
  };
  const append = (samples: Float32Array): void => {
    for (let i = 0; i < samples.length; i++) recent[(total + i) % window] = samples[i]!;
    total += samples.length;
  };

  return {
    async push(chunk) {
      if (ended) throw new MsseError('stream: push after end()');
      let samples = toMono(chunk);
      while (samples.length > 0) {
        const take = Math.min(samples.length, nextEnd - total);
        append(samples.subarray(0, take));
        samples = samples.subarray(take);
        if (total === nextEnd) {
          await emit();
          nextEnd += hop;
        }
      }
    },
    async end() {
      if (ended) return;
      ended = true;
      if (total > lastEnd) await emit();
    },
  };
}
