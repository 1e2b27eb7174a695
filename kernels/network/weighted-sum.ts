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

// weightedSumBackwardInput (the reference's weightedSum.backwardInput): dg[b, j, c] = w[j] · dz[b, c].
// Reads dz (B, C), w (n); writes dg (B, n, C). f32x4 over c with a scalar tail.
export function weightedSumBackwardInput(dz: usize, w: usize, dg: usize, batch: i32, n: i32, chans: i32): void {
  const whole = chans & ~(LANES - 1);
  for (let b = 0; b < batch; b++) {
    const src = at(dz, b * chans);
    for (let j = 0; j < n; j++) {
      const wj = load<f32>(at(w, j));
      const s = f32x4.splat(wj);
      const row = at(dg, (b * n + j) * chans);
      let c = 0;
      for (; c < whole; c += LANES) v128.store(at(row, c), f32x4.mul(s, v128.load(at(src, c))));
      for (; c < chans; c++) store<f32>(at(row, c), wj * load<f32>(at(src, c)));
    }
  }
}

// weightedSumBackwardWeight (the reference's weightedSum.backwardWeight): dw[j] = Σ_{b, c} dz[b, c] · g[b, j, c].
// Reads dz (B, C), g (B, n, C); writes dw (n). Scalar f64 sums in (b, c) order, rounded once; no memory of its own.
export function weightedSumBackwardWeight(dz: usize, g: usize, dw: usize, batch: i32, n: i32, chans: i32): void {
  for (let j = 0; j < n; j++) {
    let sum: f64 = 0;
    for (let b = 0; b < batch; b++) {
      for (let c = 0; c < chans; c++) sum += <f64>load<f32>(at(dz, b * chans + c)) * <f64>load<f32>(at(g, (b * n + j) * chans + c));
    }
    store<f32>(at(dw, j), <f32>sum);
  }
}
