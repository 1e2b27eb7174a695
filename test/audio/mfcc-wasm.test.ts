// The WebAssembly front end (build/mfcc.wasm via src/audio/mfcc-wasm.ts) against every file of
// ../shared/golden/mfcc (README there: algorithm and float32 tolerances), against the float64 specification
// (mfcc-reference.ts, resample-reference.ts) where the golden files do not reach (other lengths, silence, impulses
// at frame edges, other sample rates), and its memory contract (no growth for repeated sizes, views re-created).
// Needs `npm run build:wasm` first (npm test builds).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { mfccReference } from '../../src/audio/mfcc-reference.ts';
import { DEFAULT_LENGTH_SAMPLES, N_MELS, N_MFCC, frameCount } from '../../src/audio/mfcc-settings.ts';
import { resampleTo22050 } from '../../src/audio/resample-reference.ts';
import type { MfccExtractor } from '../../src/audio/mfcc-wasm.ts';
import { createMfccExtractor } from '../../src/platform/node/mfcc.ts';
import { readWavFile } from '../../src/platform/node/wav-file.ts';
import { float32FromLittleEndian } from '../../src/io/float32-file.ts';
import { sharedPath } from '../support/paths.ts';
import { mfccErrors } from '../support/mfcc-errors.ts';

const EMODB_STEMS = ['03a01Wa', '08a01Lc', '09a01Ea', '10a01Ac', '11a02Fb', '12a05Ta', '13a01Nb', '16a01Wb'];
/** The golden README's float32 tolerances at the native rate, and after a band-limited resampler. */
const C0_TOLERANCE = 2.5e-3;
const C1_38_TOLERANCE = 1e-3;
const DB_TOLERANCE = 2e-3;
const RESAMPLED_TOLERANCE = 5e-3;

function golden(name: string): Float32Array {
  return float32FromLittleEndian(readFileSync(sharedPath('golden', 'mfcc', name)));
}

function emodb(stem: string): { samples: Float32Array; sampleRateHz: number } {
  return readWavFile(sharedPath('data', 'emodb', 'wav', `${stem}.wav`));
}

/** max |got − ref| over c0 and over c1..c38 of frames-major MFCCs (absolute, as the README asks). */
function maxAbsError(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  expect(got.length).toBe(ref.length);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(got[i]! - ref[i]!));
  return worst;
}

/** Deterministic noise in [−amplitude, amplitude) (32-bit LCG), so failures reproduce. */
function noise(length: number, amplitude: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return amplitude * (state / 2 ** 31 - 1);
  });
}

let extractor: MfccExtractor;
beforeAll(async () => {
  extractor = await createMfccExtractor();
});

describe('golden parity (../shared/golden/mfcc)', () => {
  test.each(EMODB_STEMS)('EMO-DB %s: c0 <= 2.5e-3, c1..c38 <= 1e-3', (stem) => {
    const wav = emodb(stem);
    const got = extractor.mfcc(wav.samples, wav.sampleRateHz);
    expect(got.length).toBe(188 * N_MFCC);
    const errors = mfccErrors(got, golden(`${stem}.mfcc.f32`));
    expect(errors.c0).toBeLessThanOrEqual(C0_TOLERANCE);
    expect(errors.rest).toBeLessThanOrEqual(C1_38_TOLERANCE);
  });

  test('03a01Wa dB stage (after the top_db floor) <= 2e-3 dB', () => {
    const wav = emodb('03a01Wa');
    extractor.mfcc(wav.samples, wav.sampleRateHz);
    expect(maxAbsError(extractor.lastDb(), golden('03a01Wa.db.f32'))).toBeLessThanOrEqual(DB_TOLERANCE);
  });

  test('synth_22050 (non-zero within the centre padding): MFCCs and dB stage', () => {
    const got = extractor.mfcc(golden('synth_22050.signal.f32'), 22050);
    const errors = mfccErrors(got, golden('synth_22050.mfcc.f32'));
    expect(errors.c0).toBeLessThanOrEqual(C0_TOLERANCE);
    expect(errors.rest).toBeLessThanOrEqual(C1_38_TOLERANCE);
    expect(maxAbsError(extractor.lastDb(), golden('synth_22050.db.f32'))).toBeLessThanOrEqual(DB_TOLERANCE);
  });

  test.each([
    ['synth_16000', 16000],
    ['synth_44100', 44100],
    ['synth_44100_hf', 44100],
  ])('%s resampled to 22050 Hz: every coefficient <= 5e-3', (name, rateHz) => {
    const got = extractor.mfcc(golden(`${name}.signal.f32`), rateHz);
    const errors = mfccErrors(got, golden(`${name}.mfcc.f32`));
    expect(Math.max(errors.c0, errors.rest)).toBeLessThanOrEqual(RESAMPLED_TOLERANCE);
  });
});

describe('against the float64 specification', () => {
  // Odd lengths on both sides of 44100 exercise the crop and the pad (odd sample at the end) of the length rule.
  test.each([30001, 44100, 50001])('03a01Wa fitted to %i samples matches mfccReference', (lengthSamples) => {
    const wav = emodb('03a01Wa');
    const got = extractor.mfcc(wav.samples, wav.sampleRateHz, lengthSamples);
    expect(got.length).toBe(frameCount(lengthSamples) * N_MFCC);
    const errors = mfccErrors(got, mfccReference(wav.samples, wav.sampleRateHz, lengthSamples));
    expect(errors.c0).toBeLessThanOrEqual(C0_TOLERANCE);
    expect(errors.rest).toBeLessThanOrEqual(C1_38_TOLERANCE);
  });

  test('an all-zero signal: every band at 10 log10(amin) = -100 dB, c0 = -100 sqrt(128), the rest 0', () => {
    const got = extractor.mfcc(new Float32Array(5000), 22050, 5000);
    const errors = mfccErrors(got, mfccReference(new Float32Array(5000), 22050, 5000));
    expect(errors.c0).toBeLessThanOrEqual(1e-4);
    expect(errors.rest).toBeLessThanOrEqual(1e-5);
    expect(got[0]).toBeCloseTo(-100 * Math.sqrt(128), 3);
    expect(extractor.lastDb().every((db) => db === -100)).toBe(true);
  });

  // The module skips the FFT of frames whose 2048 samples are all zero. Single impulses just inside and just
  // outside a frame's span (frame t covers fitted samples [512t − 1024, 512t + 1024)) show an off-by-one there.
  test.each([0, 1023, 1024, 2047, 2048, 4095])('an impulse at fitted sample %i: skipped frames are exactly the silent ones', (at) => {
    const signal = new Float32Array(4096);
    signal[at] = 0.5;
    const got = extractor.mfcc(signal, 22050, 4096);
    const errors = mfccErrors(got, mfccReference(signal, 22050, 4096));
    expect(errors.c0).toBeLessThanOrEqual(C0_TOLERANCE);
    expect(errors.rest).toBeLessThanOrEqual(C1_38_TOLERANCE);
  });

  // Noise reaches every bin and every band; resampled rates cover up > down, up < down and a large phase count.
  test.each([8000, 16000, 22050, 44100, 48000])('noise at %i Hz matches mfccReference', (rateHz) => {
    const signal = noise(Math.ceil((20000 * rateHz) / 22050), 0.3, rateHz);
    const errors = mfccErrors(extractor.mfcc(signal, rateHz, 20000), mfccReference(signal, rateHz, 20000));
    expect(errors.c0).toBeLessThanOrEqual(C0_TOLERANCE);
    expect(errors.rest).toBeLessThanOrEqual(C1_38_TOLERANCE);
  });

  test.each([8000, 11025, 16000, 32000, 44100, 48000, 96000])('resampling %i Hz noise matches resampleTo22050 to 1e-6', (rateHz) => {
    const signal = noise(3000, 0.5, rateHz + 1);
    const got = extractor.resample(signal, rateHz);
    expect(maxAbsError(got, resampleTo22050(signal, rateHz))).toBeLessThanOrEqual(1e-6);
  });
});

describe('memory', () => {
  test('50 calls of one size do not grow memory after the first', async () => {
    const fresh = await createMfccExtractor();
    const wav = emodb('08a01Lc');
    const first = fresh.mfcc(wav.samples, wav.sampleRateHz);
    const bytes = fresh.memoryBytes();
    for (let i = 0; i < 50; i++) fresh.mfcc(wav.samples, wav.sampleRateHz);
    expect(fresh.memoryBytes()).toBe(bytes);
    expect(fresh.mfcc(wav.samples, wav.sampleRateHz)).toEqual(first);
  });

  test('after a call that grows memory, the views see the new buffer and results are unchanged', async () => {
    const fresh = await createMfccExtractor();
    const wav = emodb('09a01Ea');
    const before = fresh.mfcc(wav.samples, wav.sampleRateHz);
    const bytes = fresh.memoryBytes();
    const long = noise(600000, 0.1, 7);
    const longMfcc = fresh.mfcc(long, 48000, 400000);
    expect(fresh.memoryBytes()).toBeGreaterThan(bytes);
    expect(longMfcc.length).toBe(frameCount(400000) * N_MFCC);
    expect(fresh.mfcc(wav.samples, wav.sampleRateHz)).toEqual(before);
    expect(fresh.lastDb().length).toBe(188 * N_MELS);
  });

  test('mfccBatch of mixed rates equals one mfcc call per signal, in input order, without re-instantiating', async () => {
    const fresh = await createMfccExtractor();
    const signals = [
      emodb('10a01Ac'),
      { samples: golden('synth_44100.signal.f32'), sampleRateHz: 44100 },
      emodb('11a02Fb'),
      { samples: golden('synth_16000.signal.f32'), sampleRateHz: 16000 },
    ];
    const batch = fresh.mfccBatch(signals, DEFAULT_LENGTH_SAMPLES);
    const bytes = fresh.memoryBytes();
    expect(batch).toEqual(signals.map((s) => fresh.mfcc(s.samples, s.sampleRateHz)));
    expect(fresh.memoryBytes()).toBe(bytes);
  });
});

describe('errors', () => {
  test.each([0, -5, 1.5])('length %s samples is a RangeError', (lengthSamples) => {
    expect(() => extractor.mfcc(new Float32Array(10), 22050, lengthSamples)).toThrowError(
      new RangeError(`mfcc: length ${lengthSamples} samples; expected a positive integer`),
    );
  });

  test('a non-integer sample rate is a RangeError', () => {
    expect(() => extractor.mfcc(new Float32Array(10), 22050.5)).toThrowError(
      new RangeError('resample: sample rate 22050.5 Hz; expected a positive integer'),
    );
  });
});
