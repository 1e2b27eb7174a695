// dense.ts: pointwise linear map over the last axis (the reference's dense.forward and forwardPerSample;
// shaders/dense.wgsl): the SE and head Dense layers, conv_in (Conv1D k = 1) and the SE-gated 1×1 conv.
//   denseForward:          y[m, o] = b[o] + Σ_i w[o, i] · x[m, i],  x (M, In), w (Out, In), y (M, Out)
//   denseForwardPerSample: y[s, m] = b[0] + Σ_i w[s, i] · x[s, m, i],  x (B, M, In), w (B, In), y (B, M)
// denseForward reads x, w, b; writes y; scratch: denseScratchBytes(Out, In) bytes = the packed weights of
// gemm.ts (bias row, then w transposed to (In, npad)). Work split: gemm.ts's 4-row × 8-column tiles, one tap.
// denseForwardPerSample reads x, w, b; writes y; no scratch. Work split: four rows of one sample at a time, four
// f32x4 accumulators over In, the last partial vector's products masked to zero (its x and w loads reach into the
// next row or SLACK), then the four lane sums in one vector (simd.ts transposeSum) plus b, stored whole; rows
// after the last block of 4 one by one.

import { gemmRows, pack, packedBytes, paddedWidth } from './gemm';
import { at, LANES, laneMask, lanesSum, transposeSum } from './simd';

export function denseScratchBytes(cout: i32, cin: i32): i32 {
  return packedBytes(cout, cin, 1);
}

export function denseForward(x: usize, w: usize, b: usize, y: usize, scratch: usize, rows: i32, cin: i32, cout: i32): void {
  pack(w, b, scratch, cout, cin, 1, cin, 1, 0);
  const weights = at(scratch, paddedWidth(cout));
  gemmRows(rows, rows, 1, x, cin << 2, 0, 0, y, cout << 2, 0, 0, scratch, weights, cout, cin, 1, 0);
}

export function denseForwardPerSample(x: usize, w: usize, b: usize, y: usize, batch: i32, mid: i32, cin: i32): void {
  const bias = load<f32>(b);
  const whole = cin & ~(LANES - 1);
  const mask = laneMask(cin - whole);
  const rowBytes = <usize>cin << 2;
  for (let s = 0; s < batch; s++) {
    const wrow = at(w, s * cin);
    const ys = at(y, s * mid);
    let r0 = at(x, s * mid * cin);
    let m = 0;
    for (; m + 4 <= mid; m += 4) {
      const r1 = r0 + rowBytes;
      const r2 = r1 + rowBytes;
      const r3 = r2 + rowBytes;
      let s0 = f32x4.splat(0);
      let s1 = s0, s2 = s0, s3 = s0;
      let c = 0;
      for (; c < whole; c += LANES) {
        const wv = v128.load(at(wrow, c));
        s0 = f32x4.add(s0, f32x4.mul(v128.load(at(r0, c)), wv));
        s1 = f32x4.add(s1, f32x4.mul(v128.load(at(r1, c)), wv));
        s2 = f32x4.add(s2, f32x4.mul(v128.load(at(r2, c)), wv));
        s3 = f32x4.add(s3, f32x4.mul(v128.load(at(r3, c)), wv));
      }
      if (c < cin) {
        const wv = v128.load(at(wrow, c));
        s0 = f32x4.add(s0, v128.and(f32x4.mul(v128.load(at(r0, c)), wv), mask));
        s1 = f32x4.add(s1, v128.and(f32x4.mul(v128.load(at(r1, c)), wv), mask));
        s2 = f32x4.add(s2, v128.and(f32x4.mul(v128.load(at(r2, c)), wv), mask));
        s3 = f32x4.add(s3, v128.and(f32x4.mul(v128.load(at(r3, c)), wv), mask));
      }
      v128.store(at(ys, m), f32x4.add(transposeSum(s0, s1, s2, s3), f32x4.splat(bias)));
      r0 = r3 + rowBytes;
    }
    for (; m < mid; m++) {
      let s0 = f32x4.splat(0);
      let c = 0;
      for (; c < whole; c += LANES) s0 = f32x4.add(s0, f32x4.mul(v128.load(at(r0, c)), v128.load(at(wrow, c))));
      if (c < cin) s0 = f32x4.add(s0, v128.and(f32x4.mul(v128.load(at(r0, c)), v128.load(at(wrow, c))), mask));
      store<f32>(at(ys, m), lanesSum(s0) + bias);
      r0 += rowBytes;
    }
  }
}
