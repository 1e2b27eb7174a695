// se-gate.ts: SE's gate times the 1×1 conv weight (the reference's seGate.forward; shaders/se-gate.wgsl), one
// direction-stacked sample n (d = n / B) per item:
//   s[i]       = scale · Σ_r rowSums[n, r, i]                  (the squeeze: mean over T and the paths' F)
//   hid[o]     = relu(fc1b[d,o] + Σ_i fc1w[d,o,i] · s[i])
//   gate[n,o]  = w1x1[d,o] · sigmoid(fc2b[d,o] + Σ_i fc2w[d,o,i] · hid[i])
// Reads rowSums (2B, R, C) (tfPath.squeeze's block sums, R = U·S), fc1w, fc2w (2, C, C) as Dense [out, in], fc1b,
// fc2b, w1x1 (2, C); writes gate rows [lo, hi) of (2B, C). Scratch: seGateScratchBytes(C) bytes = reduce-sum.ts's
// accumulators, then two vectors of npad f32 (s, then fc2's sums; hid) and one zero f32.
// Work split: items are samples. The squeeze is reduceSumForward over the sample's R rows; each Dense is
// denseForwardPerSample with one "sample": the weight rows as its rows and the vector as its weight row, the last
// partial vector's products masked (so the vectors' lanes past C, never written, cannot leak in); the biases, ReLU
// and w1x1 in f32x4 passes, the sigmoid by sigmoidForward (C values, a few thousand multiply-adds per sample).

import { denseForwardPerSample } from './dense';
import { paddedWidth } from './gemm';
import { reduceSumForward, reduceSumScratchBytes } from './reduce-sum';
import { sigmoidForward } from './sigmoid';
import { at, LANES, storeLanes } from './simd';

export function seGateScratchBytes(chans: i32): i32 {
  return reduceSumScratchBytes(chans) + (2 * paddedWidth(chans) + LANES) * 4;
}

export function seGateForward(
  rowSums: usize, fc1w: usize, fc1b: usize, fc2w: usize, fc2b: usize, w1x1: usize, gate: usize, scratch: usize,
  lo: i32, hi: i32, batch: i32, rows: i32, chans: i32, scale: f32,
): void {
  const npad = paddedWidth(chans);
  const vector = scratch + <usize>reduceSumScratchBytes(chans);
  const hidden = at(vector, npad);
  const zero = at(hidden, npad);
  store<f32>(zero, 0);
  const matrix = chans * chans;
  for (let n = lo; n < hi; n++) {
    const d = n / batch;
    reduceSumForward(at(rowSums, n * rows * chans), vector, scratch, 1, rows, chans, scale);
    denseForwardPerSample(at(fc1w, d * matrix), vector, zero, hidden, 1, chans, chans);
    for (let o = 0; o < chans; o += LANES) {
      v128.store(at(hidden, o), f32x4.pmax(f32x4.add(v128.load(at(hidden, o)), v128.load(at(fc1b, d * chans + o))), f32x4.splat(0)));
    }
    denseForwardPerSample(at(fc2w, d * matrix), hidden, zero, vector, 1, chans, chans);
    for (let o = 0; o < chans; o += LANES) v128.store(at(vector, o), f32x4.add(v128.load(at(vector, o)), v128.load(at(fc2b, d * chans + o))));
    sigmoidForward(vector, vector, chans);
    for (let o = 0; o < chans; o += LANES) {
      storeLanes(at(gate, n * chans + o), f32x4.mul(v128.load(at(w1x1, d * chans + o)), v128.load(at(vector, o))), chans - o);
    }
  }
}
