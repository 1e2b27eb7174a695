// weighted-sum.ts: the head's learned sum of the n pooled vectors (the reference's weightedSum.forward;
// shaders/weighted-sum.wgsl).
//   z[b, c] = Σ_{j < n} w[j] · g[b, j, c]
// Reads g (B, n, C), w (n); writes z (B, C). f32x4 over c (sums in j order), the last partial vector's loads
// reaching into the next row or SLACK and its store lane by lane.

import { at, LANES, storeLanes } from './simd';

export function weightedSumForward(g: usize, w: usize, z: usize, batch: i32, n: i32, chans: i32): void {
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < chans; c += LANES) {
      let sum = f32x4.splat(0);
      for (let j = 0; j < n; j++) {
        sum = f32x4.add(sum, f32x4.mul(f32x4.splat(load<f32>(at(w, j))), v128.load(at(g, (b * n + j) * chans + c))));
      }
      storeLanes(at(z, b * chans + c), sum, chans - c);
    }
  }
}
