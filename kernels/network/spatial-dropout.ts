// spatial-dropout.ts: one keep/drop per (sample, channel) (the reference's spatialDropout; Keras SpatialDropout).
//   spatialDropoutForward:      y[b, m, c] = keep(b, c) ? f(x[b, m, c]) · scale : 0,  f = identity, or max(·, 0)
//                               when relu ≠ 0 (reluForward); keep(b, c) ⇔ counterHash(seed, stream, step, b, c)
//                               < keepBelow (random.ts, unsigned)
//   spatialDropoutReluBackward: dx[i] = y[i] > 0 ? dy[i] · scale : 0
// x seen as (B, M, C). Forward reads x; writes y for samples [lo, hi) (x, y: the whole tensors; the hash takes the
// sample's index; x and y may be the same block: each element is read, then written); scratch:
// spatialDropoutScratchBytes(C) per range = one sample's mask, Cpad i32 lanes of all ones (keep) or zero.
// Work split: the host splits samples over the threads; per sample the mask, then each row f32x4 over c, the
// product and-ed with the mask (so a dropped element is +0), the last partial vector stored lane by lane.
// Backward: f32x4 over a flat range (the host splits the elements).

import { paddedWidth } from './gemm';
import { counterHash } from './random';
import { at, LANES, storeLanes } from './simd';

export function spatialDropoutScratchBytes(chans: i32): i32 {
  return paddedWidth(chans) * 4;
}

export function spatialDropoutForward(
  x: usize, y: usize, scratch: usize, lo: i32, hi: i32, mid: i32, chans: i32,
  seed: u32, stream: u32, step: u32, keepBelow: u32, scale: f32, relu: i32,
): void {
  const s = f32x4.splat(scale);
  const zero = f32x4.splat(0);
  for (let b = lo; b < hi; b++) {
    for (let c = 0; c < chans; c++) store<i32>(at(scratch, c), counterHash(seed, stream, step, <u32>b, <u32>c) < keepBelow ? -1 : 0);
    for (let m = 0; m < mid; m++) {
      const row = (b * mid + m) * chans;
      for (let c = 0; c < chans; c += LANES) {
        let v = v128.load(at(x, row + c));
        if (relu != 0) v = f32x4.max(v, zero);
        storeLanes(at(y, row + c), v128.and(f32x4.mul(v, s), v128.load(at(scratch, c))), chans - c);
      }
    }
  }
}

export function spatialDropoutReluBackward(dy: usize, y: usize, dx: usize, n: i32, scale: f32): void {
  const s = f32x4.splat(scale);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + LANES <= n; i += LANES) {
    v128.store(at(dx, i), v128.and(f32x4.mul(v128.load(at(dy, i)), s), f32x4.gt(v128.load(at(y, i)), zero)));
  }
  for (; i < n; i++) store<f32>(at(dx, i), load<f32>(at(y, i)) > 0 ? load<f32>(at(dy, i)) * scale : 0);
}
