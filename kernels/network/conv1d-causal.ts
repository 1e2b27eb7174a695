// conv1d-causal.ts: causal dilated Conv1D of the TABs (the reference's conv1dCausal.forward;
// shaders/conv1d-causal.wgsl).
//   y[b,t,o] = bias[o] + Σ_{i,k} w[o,i,k] · x[b, t − (K−1−k)·d, i],  x = 0 before t = 0 (tap 0 the oldest)
// Reads x (B, T, Cin), w (Cout, Cin, K), bias (Cout); writes y (B, T, Cout); scratch:
// conv1dCausalScratchBytes(Cout, Cin, K) bytes = gemm.ts's packed weights, rows (tap, i).
// Work split: gemm.ts's 4-row × 8-column tiles over rows (b, t), taps d·Cin floats apart. Instead of reading
// zeros before t = 0, the time axis is cut at the lags: in region j (t in [j·d, (j+1)·d), the last region open to
// T) exactly taps K−1−j … K−1 reach t ≥ 0, so each region is one gemmRows call over j + 1 taps, its rows (b, t)
// for all b (the cursor jumps from one sample's region to the next one's). No multiply by a padding zero.

import { partRow } from './accumulate';
import { gemmRows, Output, pack, packedBytes, paddedWidth } from './gemm';
import { at } from './simd';

export function conv1dCausalScratchBytes(cout: i32, cin: i32, taps: i32): i32 {
  return packedBytes(cout, cin, taps);
}

export function conv1dCausalForward(
  x: usize, w: usize, bias: usize, y: usize, scratch: usize,
  batch: i32, time: i32, cin: i32, cout: i32, taps: i32, dilation: i32,
): void {
  pack(w, bias, scratch, cout, cin, taps, cin * taps, taps, 1);
  convolveCausal(x, y, scratch, at(scratch, paddedWidth(cout)), batch, time, cin, cout, taps, dilation, Output.Store);
}

/**
 * The forward's gemm over packed weights: y (B, T, Cout) from x (B, T, Cin), `bias` a row of npad readable f32,
 * `weights` gemm.ts's rows W[tap, i, ·] (tap 0 the oldest), `stage` gemm.ts's output stage. Also the fused TAB
 * convs' (tab-inference.ts), whose weights come packed this way.
 */
export function convolveCausal(
  x: usize, y: usize, bias: usize, weights: usize,
  batch: i32, time: i32, cin: i32, cout: i32, taps: i32, dilation: i32, stage: Output,
): void {
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
      bias, at(weights, firstTap * cin * npad), cout, cin, j + 1, (dilation * cin) << 2, stage,
    );
  }
}

// ---- training ---- (lag(k) = (K−1−k)·d; tap j = K−1−k counts lags: j·d)
// conv1dCausalBackwardInput: dx[b,s,i] = Σ_j Σ_o dy[b, s + j·d, o] · w[o, i, K−1−j] over s + j·d < T: gemm.ts over
//   rows (b, s) of dy, taps j (d·Cout floats apart, kin = Cout), weights packed P[1 + j·Cout + o, i] =
//   w[o, i, K−1−j] with a zero bias. The forward's region cut mirrored: rows s in [T − J·d, T − (J−1)·d) (the first
//   region from 0) have exactly taps 0 … J−1 inside, one gemmRows call over J taps each, all samples. Scratch:
//   conv1dCausalBackwardInputScratchBytes(Cout, Cin, K) = the packed weights, then Cin zeros (the bias row's source).
// conv1dCausalBackwardWeight: dw[o,i,k] = Σ_{b, t ≥ lag(k)} dy[b,t,o] · x[b, t − lag(k), i], a sample per part
//   (accumulate.ts). conv1dCausalBackwardWeightParts, for samples [lo, hi): dy transposed to (Cout, T) and x packed
//   as gemm weights (T rows of Cin), then per tap one gemmRows over the rows o (kin = T − lag(k)) into the sample's
//   row of partials, laid out (K, Cout, Cin). Scratch: conv1dCausalBackwardWeightScratchBytes(Cout, Cin, K, T) per
//   range = dyᵀ, packed x, Cin zeros. sumParts (taps = K) adds the B rows in sample order into dw's (Cout, Cin, K)
//   layout.

@inline function align16(bytes: i32): i32 {
  return (bytes + 15) & ~15;
}

export function conv1dCausalBackwardInputScratchBytes(cout: i32, cin: i32, taps: i32): i32 {
  return packedBytes(cin, cout, taps) + paddedWidth(cin) * 4;
}

export function conv1dCausalBackwardInput(
  dy: usize, w: usize, dx: usize, scratch: usize,
  batch: i32, time: i32, cin: i32, cout: i32, taps: i32, dilation: i32,
): void {
  const zeros = scratch + <usize>packedBytes(cin, cout, taps);
  memory.fill(zeros, 0, <usize>paddedWidth(cin) << 2);
  // P[1 + j·Cout + o, i] = w[(o·Cin + i)·K + K−1−j]: element strides i → K, o → Cin·K, tap j → −1 from w[K−1].
  pack(at(w, taps - 1), zeros, scratch, cin, cout, taps, taps, cin * taps, -1);
  const npad = paddedWidth(cin);
  for (let j = taps; j >= 1; j--) {
    const lo = j == taps ? 0 : max(0, time - j * dilation);
    const hi = min(time, time - (j - 1) * dilation);
    if (hi <= lo) continue;
    const len = hi - lo;
    const jump = time - len + 1; // rows from (b, hi − 1) to (b + 1, lo)
    gemmRows(
      batch * len, len, batch,
      at(dy, lo * cout), cout << 2, (jump * cout) << 2, 0,
      at(dx, lo * cin), cin << 2, (jump * cin) << 2, 0,
      scratch, at(scratch, npad), cin, cout, j, (dilation * cout) << 2,
    );
  }
}

export function conv1dCausalBackwardWeightScratchBytes(cout: i32, cin: i32, taps: i32, time: i32): i32 {
  return align16(cout * time * 4) + align16(packedBytes(cin, time, 1)) + paddedWidth(cin) * 4;
}

export function conv1dCausalBackwardWeightParts(
  dy: usize, x: usize, partials: usize, scratch: usize,
  lo: i32, hi: i32, time: i32, cin: i32, cout: i32, taps: i32, dilation: i32,
): void {
  const n = taps * cout * cin;
  const dyT = scratch;
  const packed = dyT + <usize>align16(cout * time * 4);
  const zeros = packed + <usize>align16(packedBytes(cin, time, 1));
  memory.fill(zeros, 0, <usize>paddedWidth(cin) << 2);
  const npad = paddedWidth(cin);
  for (let b = lo; b < hi; b++) {
    const g = at(dy, b * time * cout);
    for (let t = 0; t < time; t++) {
      for (let o = 0; o < cout; o++) store<f32>(at(dyT, o * time + t), load<f32>(at(g, t * cout + o)));
    }
    pack(at(x, b * time * cin), zeros, packed, cin, time, 1, 1, cin, 0);
    for (let k = 0; k < taps; k++) {
      const lag = (taps - 1 - k) * dilation;
      const part = at(partRow(partials, b, n), k * cout * cin);
      if (lag >= time) {
        memory.fill(part, 0, <usize>(cout * cin) << 2);
        continue;
      }
      // rows o: a_o = dyT[o, lag …], kin = T − lag rows of packed x (x[b, 0 …]), y_o = part[o, ·].
      gemmRows(cout, cout, 1, at(dyT, lag), time << 2, 0, 0, part, cin << 2, 0, 0, packed, at(packed, npad), cin, time - lag, 1, 0);
    }
  }
}
