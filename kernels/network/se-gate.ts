// se-gate.ts: SE's gate times the 1×1 conv weight for one direction-stacked sample of direction d (the reference's
// seGate; shaders/se-gate.wgsl), from its squeeze s (the mean of the TF paths, tf-path.ts):
//   hid[o]  = relu(fc1b[d,o] + Σ_i fc1w[d,o,i] · s[i])
//   gate[o] = w1x1[d,o] · sigmoid(fc2b[d,o] + Σ_i fc2w[d,o,i] · hid[i])
// fc1w, fc2w (2, C, C) as Dense [out, in]; fc1b, fc2b, w1x1 (2, C). `vector` holds s (npad f32; lanes past C are
// ignored: the last partial vector's products are masked) and is overwritten; `hidden` is npad f32 of scratch,
// `zero` one f32 0. gate gets npad f32: the C values, then zeros, so a dot with it may read whole vectors.
// Each Dense is denseForwardPerSample with one "sample": the weight rows as its rows and the vector as its weight
// row; the biases, ReLU and w1x1 in f32x4 passes, the sigmoid by sigmoidForward (C values, a few thousand
// multiply-adds per sample).

import { denseForwardPerSample } from './dense';
import { paddedWidth } from './gemm';
import { sigmoidForward } from './sigmoid';
import { at, LANES, storeLanes } from './simd';

export function seGate(
  vector: usize, hidden: usize, zero: usize, gate: usize,
  fc1w: usize, fc1b: usize, fc2w: usize, fc2b: usize, w1x1: usize, d: i32, chans: i32,
): void {
  const matrix = chans * chans;
  store<f32>(zero, 0);
  denseForwardPerSample(at(fc1w, d * matrix), vector, zero, hidden, 1, chans, chans);
  for (let o = 0; o < chans; o += LANES) {
    v128.store(at(hidden, o), f32x4.pmax(f32x4.add(v128.load(at(hidden, o)), v128.load(at(fc1b, d * chans + o))), f32x4.splat(0)));
  }
  denseForwardPerSample(at(fc2w, d * matrix), hidden, zero, vector, 1, chans, chans);
  for (let o = 0; o < chans; o += LANES) v128.store(at(vector, o), f32x4.add(v128.load(at(vector, o)), v128.load(at(fc2b, d * chans + o))));
  sigmoidForward(vector, vector, chans);
  memory.fill(gate, 0, <usize>paddedWidth(chans) << 2);
  for (let o = 0; o < chans; o += LANES) {
    storeLanes(at(gate, o), f32x4.mul(v128.load(at(w1x1, d * chans + o)), v128.load(at(vector, o))), chans - o);
  }
}
