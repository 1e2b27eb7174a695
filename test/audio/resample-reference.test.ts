// The float64 resampler's quality, measured with pure tones: passband gain and phase, image rejection when
// up-sampling, alias rejection when down-sampling, plus its exact contract (length, DC gain, identity, errors).
import { describe, expect, test } from 'vitest';
import { resampleRatio, resampleTo22050, resampledLength } from '../../src/audio/resample-reference.ts';

const OUT_RATE_HZ = 22050;
/** Output samples ignored at each end: the kernel reaches 64 input samples (≤ 128 output samples) past them. */
const EDGE_SAMPLES = 200;

function tone(sampleRateHz: number, frequencyHz: number, seconds: number): Float64Array {
  const x = new Float64Array(Math.round(sampleRateHz * seconds));
  for (let i = 0; i < x.length; i++) x[i] = Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz);
  return x;
}

/**
 * Least-squares fit of `a·sin + b·cos` at `frequencyHz` to the output away from its ends. Returns the gain and
 * phase of the tone relative to an ideal `sin(2πf·m/22050)` (so zero phase means no delay), and the level of what
 * is left (images, aliases, round-off) in dB relative to a unit sine.
 */
function fitTone(y: Float64Array, frequencyHz: number): { gainDb: number; phaseRad: number; residualDb: number } {
  const inner: number[] = [];
  for (let m = EDGE_SAMPLES; m < y.length - EDGE_SAMPLES; m++) inner.push(m);
  const phaseOf = (m: number) => (2 * Math.PI * frequencyHz * m) / OUT_RATE_HZ;
  let ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
  for (const m of inner) {
    const s = Math.sin(phaseOf(m)), c = Math.cos(phaseOf(m));
    ss += s * s; cc += c * c; sc += s * c; ys += y[m] * s; yc += y[m] * c;
  }
  const det = ss * cc - sc * sc;
  const a = (ys * cc - yc * sc) / det;
  const b = (yc * ss - ys * sc) / det;
  let residualEnergy = 0;
  for (const m of inner) residualEnergy += (y[m] - a * Math.sin(phaseOf(m)) - b * Math.cos(phaseOf(m))) ** 2;
  return {
    gainDb: 20 * Math.log10(Math.hypot(a, b)),
    phaseRad: Math.atan2(b, a),
    residualDb: 10 * Math.log10(residualEnergy / inner.length / 0.5),
  };
}

/** Level of the output away from its ends in dB relative to a unit sine (0.5 mean square). */
function levelDb(y: Float64Array): number {
  let energy = 0;
  for (let m = EDGE_SAMPLES; m < y.length - EDGE_SAMPLES; m++) energy += y[m] * y[m];
  return 10 * Math.log10(energy / (y.length - 2 * EDGE_SAMPLES) / 0.5);
}

/** `count` frequencies evenly spread over [from, to] Hz. */
function frequencies(fromHz: number, toHz: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => fromHz + ((toHz - fromHz) * i) / (count - 1));
}

describe('resampleTo22050 contract', () => {
  test.each([
    [16000, 441, 320],
    [44100, 1, 2],
    [48000, 147, 320],
    [8000, 441, 160],
    [44101, 22050, 44101],
    [22050, 1, 1],
  ])('%i Hz: ratio up %i / down %i', (rateHz, up, down) => {
    expect(resampleRatio(rateHz)).toEqual({ up, down });
  });

  test('output length is ceil(n · 22050 / fs), the golden 96001 for 69660 samples at 16 kHz', () => {
    expect(resampledLength(69660, 16000)).toBe(96001);
    expect(resampledLength(192000, 44100)).toBe(96000);
    expect(resampleTo22050(new Float32Array(69660), 16000).length).toBe(96001);
    expect(resampleTo22050(new Float32Array(1001), 44100).length).toBe(501);
  });

  // The whole filter has DC gain exactly `up`; each output phase sees only every up-th tap, whose sum misses 1 by
  // the stopband leakage at the image frequencies: below the design's −140 dB (1e-7); measured 2.1e-8 from 16 kHz.
  test.each([16000, 44100, 48000])('DC passes at gain 1 from %i Hz', (rateHz) => {
    const y = resampleTo22050(new Float64Array(rateHz / 4).fill(1), rateHz);
    for (let m = EDGE_SAMPLES; m < y.length - EDGE_SAMPLES; m++) expect(Math.abs(y[m] - 1)).toBeLessThan(1e-7);
  });

  test('22050 Hz input comes back unchanged as a float64 copy', () => {
    const x = new Float32Array([0.25, -0.5, 0.125]);
    const y = resampleTo22050(x, 22050);
    expect(y).toBeInstanceOf(Float64Array);
    expect(Array.from(y)).toEqual([0.25, -0.5, 0.125]);
  });

  test('a huge up factor (44101 Hz: up 22050) still resamples a 1 kHz tone exactly', () => {
    const fit = fitTone(resampleTo22050(tone(44101, 1000, 0.1), 44101), 1000);
    expect(Math.abs(fit.gainDb)).toBeLessThan(1e-6);
    expect(Math.abs(fit.phaseRad)).toBeLessThan(1e-8);
    expect(fit.residualDb).toBeLessThan(-150);
  });

  test.each([0, -8000, 22050.5, Number.NaN])('rejects sample rate %s', (rateHz) => {
    expect(() => resampleTo22050(new Float32Array(4), rateHz)).toThrowError(
      new RangeError(`resample: sample rate ${rateHz} Hz; expected a positive integer`),
    );
  });
});

// Measured (see the header of resample-reference.ts): ripple ≤ 1.3e-6 dB up to 0.9 of the lower Nyquist, phase
// ≤ 1e-11 rad, images/aliases from 1.1 × the lower Nyquist on ≤ −139 dB. Bounds here leave a small margin.
describe('resampleTo22050 quality', () => {
  test.each([16000, 44100])('passband to 0.9 of the lower Nyquist, from %i Hz: ripple, phase, images', (rateHz) => {
    const lowerNyquistHz = Math.min(rateHz, OUT_RATE_HZ) / 2;
    for (const f of frequencies(50, 0.9 * lowerNyquistHz, 12)) {
      const fit = fitTone(resampleTo22050(tone(rateHz, f, 0.5), rateHz), f);
      expect(Math.abs(fit.gainDb), `gain at ${f} Hz`).toBeLessThan(2e-6);
      expect(Math.abs(fit.phaseRad), `phase at ${f} Hz`).toBeLessThan(1e-9);
      // Up-sampling from 16 kHz, a tone f leaves an image at 16000 − f that the filter must remove.
      expect(fit.residualDb, `residual at ${f} Hz`).toBeLessThan(-135);
    }
  });

  test('stopband from 1.1 × 11025 Hz to 22050 Hz at 44100 Hz: aliases at least 135 dB down', () => {
    for (const f of frequencies(1.1 * 11025, 22000, 12)) {
      expect(levelDb(resampleTo22050(tone(44100, f, 0.5), 44100)), `alias of ${f} Hz`).toBeLessThan(-135);
    }
  });

  test('the 15 kHz tone of synth_44100_hf vanishes (measured −156 dB)', () => {
    expect(levelDb(resampleTo22050(tone(44100, 15000, 0.5), 44100))).toBeLessThan(-150);
  });
});
