// The float64 radix-2 FFT against the DFT's definition, on sizes from 1 to 2048.
import { describe, expect, test } from 'vitest';
import { fftInPlace } from '../../src/audio/fft-reference.ts';

/** Deterministic values in [-1, 1) (a 32-bit LCG), so a failure reproduces. */
function pseudoRandom(count: number, seed: number): Float64Array {
  const out = new Float64Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

describe('fftInPlace', () => {
  test.each([1, 2, 4, 8, 64, 2048])('N = %i matches X[k] = Σ x[n] e^{-2πi kn/N} to 1e-12 relative', (n) => {
    const re = pseudoRandom(n, n);
    const im = pseudoRandom(n, n + 1);
    const expectedRe = new Float64Array(n);
    const expectedIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < n; j++) {
        const angle = (-2 * Math.PI * ((k * j) % n)) / n;
        expectedRe[k] += re[j] * Math.cos(angle) - im[j] * Math.sin(angle);
        expectedIm[k] += re[j] * Math.sin(angle) + im[j] * Math.cos(angle);
      }
    }
    fftInPlace(re, im);
    let worst = 0;
    for (let k = 0; k < n; k++) worst = Math.max(worst, Math.hypot(re[k] - expectedRe[k], im[k] - expectedIm[k]));
    expect(worst).toBeLessThanOrEqual(1e-12 * Math.sqrt(n) * Math.max(1, Math.log2(n)));
  });

  test('a cosine at bin 3 of 16 puts N/2 in bins 3 and 13 only', () => {
    const re = Float64Array.from({ length: 16 }, (_, n) => Math.cos((2 * Math.PI * 3 * n) / 16));
    const im = new Float64Array(16);
    fftInPlace(re, im);
    for (let k = 0; k < 16; k++) {
      expect(re[k]).toBeCloseTo(k === 3 || k === 13 ? 8 : 0, 12);
      expect(im[k]).toBeCloseTo(0, 12);
    }
  });

  test.each([
    [6, 6],
    [8, 4],
    [0, 0],
  ])('rejects lengths %i and %i', (reLength, imLength) => {
    expect(() => fftInPlace(new Float64Array(reLength), new Float64Array(imLength))).toThrowError(
      new RangeError(`fftInPlace: lengths ${reLength} and ${imLength}; expected one power of two`),
    );
  });
});
