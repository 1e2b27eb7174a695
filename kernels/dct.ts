// dct.ts: the first N_MFCC rows of the orthonormal DCT-II over the N_MELS dB bands (scipy.fftpack.dct(type=2,
// norm='ortho'), step 10 of ../shared/golden/mfcc/README.md), as a float64 matrix product.
//
// Memory map, static (memory.data), filled once by initDct():
//   region       offset   length             type  contents
//   DCT_MATRIX   static   N_MFCC × N_MELS    f64   row j: √(1/128) for j = 0, else √(2/128) cos(πj(2n + 1)/256)
// dctRow() reads DCT_MATRIX and a caller's f64 row, writes a caller's f32 row; it never allocates.

import { N_MELS } from './mel';

/** TIM-Net's `n_mfcc`. */
export const N_MFCC: i32 = 39;

const DCT_MATRIX: usize = memory.data((N_MFCC * N_MELS) << 3);

/** Fills DCT_MATRIX (band-minor: coefficient j, band n at element j·N_MELS + n). */
export function initDct(): void {
  for (let j = 0; j < N_MFCC; j++) {
    const scale = Math.sqrt((j == 0 ? 1.0 : 2.0) / <f64>N_MELS);
    for (let n = 0; n < N_MELS; n++) {
      const value = scale * Math.cos((Math.PI * <f64>j * <f64>(2 * n + 1)) / <f64>(2 * N_MELS));
      store<f64>(DCT_MATRIX + (<usize>(j * N_MELS + n) << 3), value);
    }
  }
}

/** c[j] = Σ_n C[j, n] D[n] for the f64 row at `db` (N_MELS), to the f32 row at `out` (N_MFCC); float64 sums. */
export function dctRow(db: usize, out: usize): void {
  for (let j = 0; j < N_MFCC; j++) {
    const basis = DCT_MATRIX + (<usize>(j * N_MELS) << 3);
    let acc0 = f64x2.splat(0);
    let acc1 = f64x2.splat(0);
    for (let n: usize = 0; n < <usize>N_MELS << 3; n += 32) {
      acc0 = f64x2.add(acc0, f64x2.mul(v128.load(basis + n), v128.load(db + n)));
      acc1 = f64x2.add(acc1, f64x2.mul(v128.load(basis + n, 16), v128.load(db + n, 16)));
    }
    const acc = f64x2.add(acc0, acc1);
    store<f32>(out + (<usize>j << 2), <f32>(f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1)));
  }
}
