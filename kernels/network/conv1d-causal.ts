// conv1d-causal.ts: causal dilated Conv1D of the TABs (the reference's conv1dCausal.forward;
// shaders/conv1d-causal.wgsl).
//   y[b,t,o] = bias[o] + Σ_{i,k} w[o,i,k] · x[b, t − (K−1−k)·d, i],  x = 0 before t = 0 (tap 0 the oldest)
// Reads x (B, T, Cin), w (Cout, Cin, K), bias (Cout); writes y (B, T, Cout); scratch:
// conv1dCausalScratchBytes(Cout, Cin, K) bytes = gemm.ts's packed weights, rows (tap, i).
// Work split: gemm.ts's 4-row × 8-column tiles over rows (b, t), taps d·Cin floats apart. Instead of reading
// zeros before t = 0, the time axis is cut at the lags: in region j (t in [j·d, (j+1)·d), the last region open to
// T) exactly taps K−1−j … K−1 reach t ≥ 0, so each region is one gemmRows call over j + 1 taps, its rows (b, t)
// for all b (the cursor jumps from one sample's region to the next one's). No multiply by a padding zero.

import { gemmRows, pack, packedBytes, paddedWidth } from './gemm';
import { at } from './simd';

export function conv1dCausalScratchBytes(cout: i32, cin: i32, taps: i32): i32 {
  return packedBytes(cout, cin, taps);
}

export function conv1dCausalForward(
  x: usize, w: usize, bias: usize, y: usize, scratch: usize,
  batch: i32, time: i32, cin: i32, cout: i32, taps: i32, dilation: i32,
): void {
  pack(w, bias, scratch, cout, cin, taps, cin * taps, taps, 1);
  const npad = paddedWidth(cout);
  for (let j = 0; j < taps; j++) {
    const lo = j * dilation;
    if (lo >= time) break;
    const hi = j == taps - 1 ? time : min(time, lo + dilation);
    const len = hi - lo;
    const jump = time - len + 1; // rows from (b, hi − 1) to (b + 1, lo)
    const firstTap = taps - 1 - j;
    gemmRows(
      batch * len, len, batch,
      x, cin << 2, (jump * cin) << 2, 0,
      at(y, lo * cout), cout << 2, (jump * cout) << 2, 0,
      scratch, at(scratch, (1 + firstTap * cin) * npad), cout, cin, j + 1, (dilation * cin) << 2,
    );
  }
}
