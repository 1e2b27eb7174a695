// tab-inference.ts: the temporal-aware blocks at inference, BatchNorm folded into both causal convs (the
// reference's tabInference.first, second and pool; shaders/tab-inference.wgsl). n = d·B + b, d = n / B:
//   tabInferenceFirst:  a[n,t,o]   = relu(b1[d,o] + Σ_{i,k} w1[d,k,i,o] · h[n, t − (K−1−k)·dil, i])
//   tabInferenceSecond: out[n,t,o] = h[n,t,o] · sigmoid(relu(b2[d,o] + Σ_{i,k} w2[d,k,i,o] · a[n, t − (K−1−k)·dil, i]))
//                       and the same value into stack[block, n, t, o]
//   tabInferencePool:   z[b,c]     = Σ_j wsum[j] · (1/T) Σ_t (stack[j,b,t,c] + stack[j,B+b,t,c])
// with h, a = 0 before t = 0 (tap 0 the oldest). Weights w (2, K, C, npad) packed as gemm.ts's weight rows
// (uploadFusedParams's layout, used as it is), biases (2, C).
// first reads h, w1, b1 and writes a; second reads a, w2, b2, h and writes out and stack[block]; both for the
// samples [lo, hi) only. pool reads stack, wsum and writes z rows [lo, hi). No scratch.
// Work split: first and second, items are samples; each is conv1d-causal.ts's convolveCausal (gemm.ts tiles, ReLU
// in their output stage) into a / out, and second then gates the sample in place, one f32x4 pass over its T·C
// values while they are in cache (the sigmoid needs the whole sum; a pass over a batch's run ran from memory). pool,
// items are output samples b: per 4 channels, f32x4 sums over t of fwd + bwd, block by block, in registers.

import { convolveCausal } from './conv1d-causal';
import { Output, paddedWidth } from './gemm';
import { sigmoid4 } from './sigmoid';
import { at, LANES, storeLanes } from './simd';

export function tabInferenceFirst(
  h: usize, w: usize, b: usize, a: usize,
  lo: i32, hi: i32, batch: i32, time: i32, chans: i32, taps: i32, dilation: i32,
): void {
  for (let n = lo; n < hi; n++) convolveSample(h, w, b, a, n, batch, time, chans, taps, dilation);
}

export function tabInferenceSecond(
  a: usize, w: usize, b: usize, h: usize, out: usize, stack: usize,
  lo: i32, hi: i32, batch: i32, time: i32, chans: i32, taps: i32, dilation: i32, block: i32,
): void {
  const sample = time * chans;
  for (let n = lo; n < hi; n++) {
    convolveSample(a, w, b, out, n, batch, time, chans, taps, dilation);
    gate(at(out, n * sample), at(h, n * sample), at(stack, (block * 2 * batch + n) * sample), sample);
  }
}

/** y[n] = relu(conv(src[n]) + bias) with sample n's direction's weights (d = n / B). */
function convolveSample(src: usize, w: usize, b: usize, y: usize, n: i32, batch: i32, time: i32, chans: i32, taps: i32, dilation: i32): void {
  const d = n / batch;
  const sample = time * chans;
  const weights = at(w, d * taps * chans * paddedWidth(chans));
  convolveCausal(at(src, n * sample), at(y, n * sample), at(b, d * chans), weights, 1, time, chans, chans, taps, dilation, Output.Relu);
}

/** out[i] = h[i] · sigmoid(out[i]) and stack[i] = out[i] for i < count: f32x4, the tail on splats. */
function gate(out: usize, h: usize, stack: usize, count: i32): void {
  let i = 0;
  for (; i + LANES <= count; i += LANES) {
    const v = f32x4.mul(v128.load(at(h, i)), sigmoid4(v128.load(at(out, i))));
    v128.store(at(out, i), v);
    v128.store(at(stack, i), v);
  }
  for (; i < count; i++) {
    const v = load<f32>(at(h, i)) * f32x4.extract_lane(sigmoid4(f32x4.splat(load<f32>(at(out, i)))), 0);
    store<f32>(at(out, i), v);
    store<f32>(at(stack, i), v);
  }
}

export function tabInferencePool(
  stack: usize, wsum: usize, z: usize,
  lo: i32, hi: i32, batch: i32, time: i32, chans: i32, blocks: i32,
): void {
  const sample = time * chans;
  const invTime = f32x4.splat(<f32>1 / <f32>time);
  for (let b = lo; b < hi; b++) {
    // The last vector's loads reach the next row (or SLACK past the stack): its extra lanes are never stored.
    for (let c = 0; c < chans; c += LANES) {
      let sum = f32x4.splat(0);
      for (let j = 0; j < blocks; j++) {
        let fwd = at(stack, (j * 2 * batch + b) * sample + c);
        let bwd = fwd + (<usize>(batch * sample) << 2);
        let acc = f32x4.splat(0);
        for (let t = 0; t < time; t++) {
          acc = f32x4.add(acc, f32x4.add(v128.load(fwd), v128.load(bwd)));
          fwd += <usize>chans << 2;
          bwd += <usize>chans << 2;
        }
        sum = f32x4.add(sum, f32x4.mul(f32x4.splat(load<f32>(at(wsum, j))), f32x4.mul(acc, invTime)));
      }
      storeLanes(at(z, b * chans + c), sum, chans - c);
    }
  }
}
