// sigmoid.ts: the logistic function (the reference's sigmoid.forward; shaders/sigmoid.wgsl).
//   y[i] = 1 / (1 + exp(−x[i])),  i < n
// Reads x (n f32); writes y (n f32). f32x4 with exp4 below; the scalar tail runs the same code on a splat.
//
// exp(z) on f32x4, Cephes expf's method: z = k·ln2 + r with k = round(z / ln2) and |r| ≤ ln2/2 (ln2 split in
// two constants, so r is exact to f32), exp(r) by Cephes' degree-7 polynomial (relative error below 2 ulp on
// that range), times 2^k built in the exponent bits. z is clamped to [−87.3, 88.7] first: k stays in
// [−126, 128]; k = 128 gives +Infinity and y = 0, where the exact sigmoid (x < −88.7) is below 3e−39.
// Cheap on x86: the clamp is pmax/pmin with z first, which keep a NaN z (wasm's min/max
// propagate NaN through a longer sequence); k is rounded by adding and subtracting 1.5·2^23 (round to nearest
// even, |z / ln2| < 2^22), and the same sum's low bits are k as an integer, so no float-to-int conversion.

import { at, LANES } from './simd';

const LOG2E: f32 = 1.44269504088896341;
const ROUNDER: f32 = 12582912.0; // 1.5 · 2^23: x + ROUNDER has x rounded to an integer in its low mantissa bits
const ROUNDER_BITS: i32 = 0x4b400000; // the bits of ROUNDER
const LN2_HI: f32 = 0.693359375; // ln 2 = LN2_HI − LN2_LO; LN2_HI has 9 significant bits, so k · LN2_HI is exact
const LN2_LO: f32 = -2.12194440e-4;
const Z_MIN: f32 = -87.3;
const Z_MAX: f32 = 88.7;
// Cephes expf: exp(r) ≈ 1 + r + r² · P(r)
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;

/** exp(z) lane by lane, as described above. */
@inline function exp4(z: v128): v128 {
  z = f32x4.pmin(f32x4.pmax(z, f32x4.splat(Z_MIN)), f32x4.splat(Z_MAX));
  const shifted = f32x4.add(f32x4.mul(z, f32x4.splat(LOG2E)), f32x4.splat(ROUNDER));
  const k = f32x4.sub(shifted, f32x4.splat(ROUNDER));
  const r = f32x4.sub(f32x4.sub(z, f32x4.mul(k, f32x4.splat(LN2_HI))), f32x4.mul(k, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(P0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P5));
  const er = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // 2^k: k + 127 in the exponent field; k = 128 makes the field 255 (Infinity times er ≥ 0.7).
  const twoK = i32x4.shl(i32x4.add(i32x4.sub(shifted, i32x4.splat(ROUNDER_BITS)), i32x4.splat(127)), 23);
  return f32x4.mul(er, twoK);
}

/** The logistic function lane by lane (also the TAB gate of tab-inference.ts). */
@inline export function sigmoid4(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(x))));
}

export function sigmoidForward(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + LANES <= n; i += LANES) v128.store(at(y, i), sigmoid4(v128.load(at(x, i))));
  for (; i < n; i++) store<f32>(at(y, i), f32x4.extract_lane(sigmoid4(f32x4.splat(load<f32>(at(x, i)))), 0));
}

// sigmoidBackward (the reference's sigmoid.backward): dx[i] = dy[i] · y[i] · (1 − y[i]).
// Reads dy, y (n f32); writes dx. f32x4 with a scalar tail, products in that order.
export function sigmoidBackward(dy: usize, y: usize, dx: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + LANES <= n; i += LANES) {
    const yv = v128.load(at(y, i));
    v128.store(at(dx, i), f32x4.mul(f32x4.mul(v128.load(at(dy, i)), yv), f32x4.sub(one, yv)));
  }
  for (; i < n; i++) {
    const yv = load<f32>(at(y, i));
    store<f32>(at(dx, i), load<f32>(at(dy, i)) * yv * (1 - yv));
  }
}
