import { MAX_SAMPLE_RATE_HZ } from '../audio/wav.ts';
import { MsseError } from '../errors.ts';
import type { Audio } from './types.ts';

/** Mono samples of `audio`: itself, or the average of its channels (which must be of one length). */
export function toMono(audio: Audio): Float32Array {
  if (audio instanceof Float32Array) return audio;
  const [first] = audio;
  if (first === undefined) throw new MsseError('audio has no channels');
  if (audio.length === 1) return first;
  const mono = new Float32Array(first.length);
  for (const channel of audio) {
    if (channel.length !== first.length) throw new MsseError(`audio channels differ in length (${first.length} and ${channel.length} samples)`);
    for (let i = 0; i < mono.length; i++) mono[i]! += channel[i]!;
  }
  for (let i = 0; i < mono.length; i++) mono[i]! /= audio.length;
  return mono;
}

/** A sample rate as the front end takes it: a positive integer in Hz, at most the WAV reader's 1 MHz. */
export function expectSampleRate(sampleRateHz: number): void {
  if (!Number.isInteger(sampleRateHz) || sampleRateHz <= 0 || sampleRateHz > MAX_SAMPLE_RATE_HZ) {
    throw new MsseError(`sample rate ${sampleRateHz} Hz; expected a positive integer of at most ${MAX_SAMPLE_RATE_HZ} Hz`);
  }
}
