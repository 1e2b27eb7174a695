import type { Audio } from '../api/types.ts';

/**
 * The samples a result's window covers, by sample index in the whole input: `[startSample, endSample)`, or
 * undefined when they are not held (any more). A stream result gives its window in seconds; its index is
 * `seconds × rate`, an integer up to rounding.
 */
export type WindowSamples = (startSample: number, endSample: number) => Audio | undefined;

/** A decoded file's windows: views into its samples (every channel, when it has several). */
export function fileWindows(audio: Audio): WindowSamples {
  const length = audio instanceof Float32Array ? audio.length : (audio[0]?.length ?? 0);
  return (start, end) => {
    if (start < 0 || end > length || start >= end) return undefined;
    return audio instanceof Float32Array ? audio.subarray(start, end) : audio.map((channel) => channel.subarray(start, end));
  };
}

/**
 * The last `capacityFrames` samples of a live mono input (the microphone), in a ring: a long session keeps a
 * window's worth, not everything it heard.
 */
export class SampleHistory {
  private readonly ring: Float32Array;
  /** Samples appended so far; the ring holds [max(0, total − capacity), total). */
  private total = 0;

  constructor(capacityFrames: number) {
    this.ring = new Float32Array(capacityFrames);
  }

  /** Samples appended so far. */
  get heardFrames(): number {
    return this.total;
  }

  append(samples: Float32Array): void {
    const capacity = this.ring.length;
    // Only the last `capacity` of a long append survive; skip the rest.
    const skip = Math.max(0, samples.length - capacity);
    for (let i = skip; i < samples.length; i++) this.ring[(this.total + i) % capacity] = samples[i]!;
    this.total += samples.length;
  }

  readonly windows: WindowSamples = (start, end) => {
    const capacity = this.ring.length;
    if (start < Math.max(0, this.total - capacity) || end > this.total || start >= end) return undefined;
    const out = new Float32Array(end - start);
    for (let i = start; i < end; i++) out[i - start] = this.ring[i % capacity]!;
    return out;
  };
}
