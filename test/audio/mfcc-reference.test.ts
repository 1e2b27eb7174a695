// The float64 MFCC specification against every file of ../shared/golden/mfcc (README there: algorithm and
// tolerances), plus the conventions that decide the numbers: per-utterance dB floor, zero centre padding.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fitLength } from '../../src/audio/fit-length.ts';
import { DEFAULT_LENGTH_SAMPLES, N_BINS, N_MELS, N_MFCC, frameCount } from '../../src/audio/mfcc-settings.ts';
import { dctOrtho39, melPower, mfccReference, powerSpectrum, powerToDb } from '../../src/audio/mfcc-reference.ts';
import { readWavFile } from '../../src/platform/node/wav-file.ts';
import { float32FromLittleEndian } from '../../src/io/float32-file.ts';
import { sharedPath } from '../support/paths.ts';

const FRAMES = frameCount(DEFAULT_LENGTH_SAMPLES); // 188
const EMODB_STEMS = ['03a01Wa', '08a01Lc', '09a01Ea', '10a01Ac', '11a02Fb', '12a05Ta', '13a01Nb', '16a01Wb'];

function golden(name: string): Float32Array {
  return float32FromLittleEndian(readFileSync(sharedPath('golden', 'mfcc', name)));
}

function emodbSamples(stem: string): { samples: Float32Array; sampleRateHz: number } {
  return readWavFile(sharedPath('data', 'emodb', 'wav', `${stem}.wav`));
}

/**
 * Max |got − ref| over all elements beyond the float32 rounding of the stored reference (|ref|·2^-24, up to
 * 3.7e-5 for c0 ≈ −615), which alone exceeds the README's 1e-5 for float64 MFCCs: the golden values are the
 * float64 reference rounded to float32.
 */
function maxErrorBeyondStorage(got: Float64Array, ref: Float32Array): number {
  expect(got.length).toBe(ref.length);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]) - Math.abs(ref[i]) * 2 ** -24);
  return worst;
}

function maxAbsError(got: Float64Array, ref: Float32Array): number {
  expect(got.length).toBe(ref.length);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]));
  return worst;
}

/** Max relative error over the elements within 80 dB of the stage's maximum (the README's restriction). */
function maxRelativeErrorAboveFloor(got: Float64Array, ref: Float32Array): number {
  expect(got.length).toBe(ref.length);
  let peak = 0;
  for (const r of ref) peak = Math.max(peak, r);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    if (ref[i] >= 1e-8 * peak) worst = Math.max(worst, Math.abs(got[i] - ref[i]) / ref[i]);
  }
  return worst;
}

/**
 * The README's synthetic signal in float64 at `sampleRateHz` (440 Hz + chirp 100 → 6000 Hz, 10 ms sin² fades).
 * The golden synth MFCCs were computed from these float64 values, not from the float32 `.signal.f32` copies; at
 * native rate the float32 rounding of the input alone moves the MFCCs by 2.4e-5 (edge frames), above 1e-5.
 */
function synthSignal(sampleRateHz: number): Float64Array {
  const durationS = DEFAULT_LENGTH_SAMPLES / 22050;
  const fadeS = 0.01;
  const x = new Float64Array(Math.ceil((DEFAULT_LENGTH_SAMPLES * sampleRateHz) / 22050));
  for (let i = 0; i < x.length; i++) {
    const t = i / sampleRateHz;
    let gain = 1;
    if (t < fadeS) gain = Math.sin((Math.PI * t) / (2 * fadeS)) ** 2;
    else if (t > durationS - fadeS) gain = Math.sin((Math.PI * Math.max(0, durationS - t)) / (2 * fadeS)) ** 2;
    const chirpPhase = 2 * Math.PI * (100 * t + ((6000 - 100) * t * t) / (2 * durationS));
    x[i] = gain * (0.5 * Math.sin(2 * Math.PI * 440 * t) + 0.3 * Math.sin(chirpPhase));
  }
  return x;
}

describe('mfccReference on EMO-DB (native 22050 Hz)', () => {
  // Measured: at most 3.0e-5 absolute, all of it the float32 storage of c0; beyond it ≤ 1e-13.
  test.each(EMODB_STEMS)('%s matches golden MFCCs to 1e-5 beyond float32 storage', (stem) => {
    const wav = emodbSamples(stem);
    const mfcc = mfccReference(wav.samples, wav.sampleRateHz);
    expect(mfcc).toHaveLength(FRAMES * N_MFCC);
    expect(maxErrorBeyondStorage(mfcc, golden(`${stem}.mfcc.f32`))).toBeLessThanOrEqual(1e-5);
  });
});

describe('03a01Wa stage by stage', () => {
  const signal = golden('03a01Wa.signal.f32');
  const power = powerSpectrum(signal);
  const mel = melPower(power);
  const db = powerToDb(mel);

  test('the WAV fitted to 96000 samples is the golden STFT input exactly', () => {
    const wav = emodbSamples('03a01Wa');
    expect(fitLength(wav.samples, DEFAULT_LENGTH_SAMPLES)).toEqual(signal);
  });

  test('power spectrum: relative error ≤ 1e-6 within 80 dB of the peak (measured 5.9e-8), padding frames exactly 0', () => {
    const ref = golden('03a01Wa.power.f32');
    expect(power).toHaveLength(FRAMES * N_BINS);
    expect(maxRelativeErrorAboveFloor(power, ref)).toBeLessThanOrEqual(1e-6);
    expect(power.subarray(0, N_BINS).every((p) => p === 0)).toBe(true);
    expect(ref.subarray(0, N_BINS).every((p) => p === 0)).toBe(true);
  });

  test('mel power: relative error ≤ 1e-6 within 80 dB of the peak (measured 5.8e-8)', () => {
    expect(mel).toHaveLength(FRAMES * N_MELS);
    expect(maxRelativeErrorAboveFloor(mel, golden('03a01Wa.mel.f32'))).toBeLessThanOrEqual(1e-6);
  });

  test('dB after the −80 dB floor: ≤ 1e-5 dB (measured 1.9e-6, the float32 storage)', () => {
    expect(maxAbsError(db, golden('03a01Wa.db.f32'))).toBeLessThanOrEqual(1e-5);
  });

  test('the dB floor is one number per utterance: silent frames sit at max(D) − 80, not per-frame', () => {
    let peakDb = -Infinity;
    for (const d of db) peakDb = Math.max(peakDb, d);
    expect(db.subarray(0, N_MELS).every((d) => d === peakDb - 80)).toBe(true);
    expect(Math.min(...db)).toBe(peakDb - 80);
  });

  test('DCT of the golden dB stage gives the golden MFCCs', () => {
    const goldenDb = Float64Array.from(golden('03a01Wa.db.f32'));
    // The stored dB values are float32 (rounding ≤ 3.8e-6 dB), which the DCT sums over 128 bands.
    expect(maxErrorBeyondStorage(dctOrtho39(goldenDb), golden('03a01Wa.mfcc.f32'))).toBeLessThanOrEqual(1e-4);
  });
});

describe('synthetic signals', () => {
  test('the formula in float64 reproduces synth_*.signal.f32 to float32 rounding', () => {
    for (const rateHz of [16000, 22050, 44100]) {
      const stored = golden(`synth_${rateHz}.signal.f32`);
      const formula = synthSignal(rateHz);
      expect(formula).toHaveLength(stored.length);
      expect(maxAbsError(formula, stored)).toBeLessThanOrEqual(6e-8);
    }
  });

  test('synth_22050: MFCCs to 1e-5 beyond float32 storage, dB stage to 1e-5 dB', () => {
    const signal = synthSignal(22050);
    expect(maxErrorBeyondStorage(mfccReference(signal, 22050), golden('synth_22050.mfcc.f32'))).toBeLessThanOrEqual(1e-5);
    expect(maxAbsError(powerToDb(melPower(powerSpectrum(signal))), golden('synth_22050.db.f32'))).toBeLessThanOrEqual(1e-5);
  });

  // Measured from the .signal.f32 inputs: 3.5e-5 (16000), 1.9e-5 (44100), 1.6e-5 (44100_hf): float32 input and
  // storage rounding only, since the resampler is the golden one (scipy resample_poly, same Kaiser sinc).
  test.each([
    ['synth_16000', 16000],
    ['synth_44100', 44100],
    ['synth_44100_hf', 44100],
  ])('%s resampled from its native rate: MFCCs within 5e-3', (stem, rateHz) => {
    const mfcc = mfccReference(golden(`${stem}.signal.f32`), rateHz);
    expect(maxAbsError(mfcc, golden(`${stem}.mfcc.f32`))).toBeLessThanOrEqual(5e-3);
  });

  // Measured: frames 0, 1, 186, 187 differ by 10.9, 2.8, 0.50, 4.8; frames 2..185 by ≤ 1.5e-5 (float32 storage).
  test('zero centre padding is visible: the reflect-padded golden differs in frames 0, 1, 186, 187 only', () => {
    const mfcc = mfccReference(synthSignal(22050), 22050);
    const reflect = golden('synth_22050.reflect.mfcc.f32');
    const frameError = (t: number) => {
      let worst = 0;
      for (let c = 0; c < N_MFCC; c++) worst = Math.max(worst, Math.abs(mfcc[t * N_MFCC + c] - reflect[t * N_MFCC + c]));
      return worst;
    };
    for (const t of [0, 1, FRAMES - 2, FRAMES - 1]) expect(frameError(t), `frame ${t}`).toBeGreaterThan(0.1);
    expect(frameError(0)).toBeGreaterThan(10);
    for (let t = 2; t < FRAMES - 2; t++) expect(frameError(t), `frame ${t}`).toBeLessThanOrEqual(1e-4);
  });
});

describe('stage shapes', () => {
  test.each([
    ['melPower', () => melPower(new Float64Array(N_BINS + 1)), `melPower: ${N_BINS + 1} values; expected a multiple of ${N_BINS} (frames x ${N_BINS})`],
    ['dctOrtho39', () => dctOrtho39(new Float64Array(N_MELS - 1)), `dctOrtho39: ${N_MELS - 1} values; expected a multiple of ${N_MELS} (frames x ${N_MELS})`],
  ])('%s rejects a partial frame', (_name, run, message) => {
    expect(run).toThrowError(new RangeError(message));
  });

  test('frames follow 1 + floor(L / 512) for other lengths', () => {
    expect(mfccReference(new Float32Array(1000), 22050, 1023)).toHaveLength(2 * N_MFCC);
    expect(mfccReference(new Float32Array(1000), 22050, 1024)).toHaveLength(3 * N_MFCC);
  });
});
