/**
 * Float64 radix-2 complex FFT for the MFCC specification: `X[k] = Σ_n x[n] e^{-2πi kn/N}` (no scaling), the sign
 * and scale of `numpy.fft.fft`. Iterative Cooley-Tukey, decimation in time: bit-reversal permutation, then
 * log2(N) stages of butterflies. Twiddles come from `Math.cos`/`Math.sin` of `2πk/N` per call (no recurrence, so
 * each is accurate to about one ulp); the round-off of the whole transform is then about `log2(N) · 1e-16`
 * relative to the spectrum's norm. O(N log N): 2048 points in about 11 000 butterflies.
 */

/** Transforms `re + i·im` in place. Both arrays have the same power-of-two length. */
export function fftInPlace(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (im.length !== n || n === 0 || (n & (n - 1)) !== 0) {
    throw new RangeError(`fftInPlace: lengths ${re.length} and ${im.length}; expected one power of two`);
  }
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j |= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  const cosTable = new Float64Array(n / 2);
  const sinTable = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    cosTable[k] = Math.cos((2 * Math.PI * k) / n);
    sinTable[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const tableStride = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cosTable[k * tableStride];
        const wi = sinTable[k * tableStride];
        const a = start + k;
        const b = a + half;
        const tr = wr * re[b] - wi * im[b];
        const ti = wr * im[b] + wi * re[b];
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] = re[a] + tr;
        im[a] = im[a] + ti;
      }
    }
  }
}
