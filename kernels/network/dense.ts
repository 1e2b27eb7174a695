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

import { axpy, CHUNK_ROWS, partRow } from './accumulate';
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

// ---- training ----
// denseBackwardInput:  dx[m, i] = Σ_o dy[m, o] · w[o, i]: gemm.ts over rows of dy (kin = Out) with w packed
//   untransposed (P[1 + o, i] = w[o, i]) and a zero bias; scratch: denseBackwardInputScratchBytes(Out, In) =
//   the packed weights, then In zero floats (the bias row's source).
// denseBackwardWeight: dw[o, i] = Σ_m dy[m, o] · x[m, i], a chunk of CHUNK_ROWS rows per part (accumulate.ts):
//   denseBackwardWeightParts, for parts [lo, hi), adds each row's dy[m, o] · x[m, ·] into row o of the part's
//   (Out, In) partials; sumParts adds the parts in order into dw. No scratch.
// denseBackwardInputPerSample: dx[s, m, i] = dy[s, m] · w[s, i] (f32x4 over i, a scalar tail); no scratch.
// denseBackwardWeightPerSample: dw[s, i] = Σ_m dy[s, m] · x[s, m, i]: f32x4 sums over the sample's M rows straight
//   into dw's row (a sample is one chunk, rounded once as it is); no scratch. Both per-sample entries take whole
//   samples, so the host splits the batch over the threads.

export function denseBackwardInputScratchBytes(cout: i32, cin: i32): i32 {
  return packedBytes(cin, cout, 1) + paddedWidth(cin) * 4;
}

export function denseBackwardInput(dy: usize, w: usize, dx: usize, scratch: usize, rows: i32, cin: i32, cout: i32): void {
  const zeros = scratch + <usize>packedBytes(cin, cout, 1);
  memory.fill(zeros, 0, <usize>paddedWidth(cin) << 2);
  pack(w, zeros, scratch, cin, cout, 1, 1, cin, 0);
  gemmRows(rows, rows, 1, dy, cout << 2, 0, 0, dx, cin << 2, 0, 0, scratch, at(scratch, paddedWidth(cin)), cin, cout, 1, 0);
}

export function denseBackwardWeightParts(dy: usize, x: usize, partials: usize, lo: i32, hi: i32, rows: i32, cin: i32, cout: i32): void {
  const n = cout * cin;
  for (let p = lo; p < hi; p++) {
    const acc = partRow(partials, p, n);
    memory.fill(acc, 0, <usize>n << 2);
    const end = min(rows, (p + 1) * CHUNK_ROWS);
    for (let m = p * CHUNK_ROWS; m < end; m++) {
      const xr = at(x, m * cin);
      for (let o = 0; o < cout; o++) axpy(at(acc, o * cin), xr, load<f32>(at(dy, m * cout + o)), cin);
    }
  }
}

export function denseBackwardInputPerSample(dy: usize, w: usize, dx: usize, batch: i32, mid: i32, cin: i32): void {
  const whole = cin & ~(LANES - 1);
  for (let s = 0; s < batch; s++) {
    const wr = at(w, s * cin);
    for (let m = 0; m < mid; m++) {
      const g = load<f32>(at(dy, s * mid + m));
      const gv = f32x4.splat(g);
      const row = at(dx, (s * mid + m) * cin);
      let i = 0;
      for (; i < whole; i += LANES) v128.store(at(row, i), f32x4.mul(gv, v128.load(at(wr, i))));
      for (; i < cin; i++) store<f32>(at(row, i), g * load<f32>(at(wr, i)));
    }
  }
}

export function denseBackwardWeightPerSample(dy: usize, x: usize, dw: usize, batch: i32, mid: i32, cin: i32): void {
  for (let s = 0; s < batch; s++) {
    const row = at(dw, s * cin);
    memory.fill(row, 0, <usize>cin << 2);
    for (let m = 0; m < mid; m++) axpy(row, at(x, (s * mid + m) * cin), load<f32>(at(dy, s * mid + m)), cin);
  }
}
