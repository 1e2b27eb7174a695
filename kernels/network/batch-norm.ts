// batch-norm.ts: BatchNorm with given statistics (inference: the running ones), channels-last (the reference's
// batchNorm.forwardInference; shaders/batch-norm.wgsl `normalize`).
//   y[r, c] = γ[c] · (x[r, c] − μ[c]) / sqrt(σ²[c] + eps) + β[c]
//           = (x[r, c] − μ[c]) · a[c] + β[c],  a = γ / sqrt(σ² + eps) in f32, as the WGSL's affineOf
// x seen as (rows, C). Reads x, gamma, beta, mean, variance (C each); writes y; scratch:
// batchNormScratchBytes(C) bytes = μ, a and β each laid out as a block row (channel-walk.ts).
// Work split: whole blocks of g rows as f32x4 with no tail, the factors read as vectors beside x; rows after the
// last block one by one, their last partial vector stored lane by lane.

import { blockRows, replicate } from './channel-walk';
import { at, LANES, storeLanes } from './simd';

export function batchNormScratchBytes(chans: i32): i32 {
  return 3 * blockRows(chans) * chans * 4;
}

export function batchNormForwardInference(
  x: usize, gamma: usize, beta: usize, mean: usize, variance: usize, y: usize, scratch: usize,
  rows: i32, chans: i32, eps: f32,
): void {
  const g = blockRows(chans);
  const width = g * chans;
  const mu = scratch;
  const a = at(scratch, width);
  const b = at(scratch, 2 * width);
  // a's first row from the statistics, then every factor row replicated.
  for (let c = 0; c < chans; c++) store<f32>(at(a, c), load<f32>(at(gamma, c)) / Mathf.sqrt(load<f32>(at(variance, c)) + eps));
  replicate(mean, mu, chans, g);
  replicate(a, a, chans, g); // row 0 onto itself is a no-op copy; rows 1.. follow
  replicate(beta, b, chans, g);

  const blocks = rows / g;
  let p = x;
  let q = y;
  for (let k = 0; k < blocks; k++) {
    for (let v = 0; v < width; v += LANES) {
      const xv = v128.load(at(p, v));
      v128.store(at(q, v), f32x4.add(f32x4.mul(f32x4.sub(xv, v128.load(at(mu, v))), v128.load(at(a, v))), v128.load(at(b, v))));
    }
    p += <usize>width << 2;
    q += <usize>width << 2;
  }
  for (let r = blocks * g; r < rows; r++) {
    for (let c = 0; c < chans; c += LANES) {
      const xv = v128.load(at(p, c));
      const v = f32x4.add(f32x4.mul(f32x4.sub(xv, v128.load(at(mu, c))), v128.load(at(a, c))), v128.load(at(b, c)));
      storeLanes(at(q, c), v, chans - c);
    }
    p += <usize>chans << 2;
    q += <usize>chans << 2;
  }
}
