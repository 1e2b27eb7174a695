import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { NetworkTrainingExports } from './exports.ts';
import { reduceOverParts } from './parts.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * The conv2d family on wasm tensors (kernels/network/conv2d.ts): x (B, T, F), w (C, 1, KH, KW) → (B, T, F, C),
 * TF 'same' padding, samples split over the threads. Scratch holds each range's packed weights and zero-padded images.
 */
export function conv2dInference(w: WasmTensors): InferenceKernels['conv2d'] {
  const k = w.kernels;
  return {
    forward(x, weight, bias, { kh, kw }) {
      const [batch, time, freq, chans] = [x.shape[0]!, x.shape[1]!, x.shape[2]!, weight.shape[0]!];
      const y = w.output([batch, time, freq, chans], 'conv2d.y');
      const pixels = time * freq;
      w.parallel(
        'conv2dForward',
        batch,
        (samples) => k.conv2dScratchBytes(samples, time, freq, chans, kh, kw),
        (lo, hi, scratch) => [w.at(x, lo * pixels), w.ptr(weight), w.ptr(bias), w.at(y, lo * pixels * chans), scratch, hi - lo, time, freq, chans, kh, kw],
      );
      return y;
    },
  };
}

/**
 * conv2d's backward, samples split over the threads: input (weights as (KH·KW, Cpad) in scratch) and weight (gemm.ts
 * per sample, each sample a part of a fixed-order sum: src/backends/wasm/parts.ts).
 */
export function conv2dTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['conv2d'] {
  const k = w.kernels;
  return {
    backwardInput(dy, weight, { kh, kw }) {
      const [batch, time, freq, chans] = [dy.shape[0]!, dy.shape[1]!, dy.shape[2]!, dy.shape[3]!];
      const dx = w.output([batch, time, freq], 'conv2d.dx');
      const pixels = time * freq;
      w.parallel(
        'conv2dBackwardInput',
        batch,
        () => k.conv2dBackwardInputScratchBytes(chans, kh, kw),
        (lo, hi, scratch) => [w.at(dy, lo * pixels * chans), w.ptr(weight), w.at(dx, lo * pixels), scratch, hi - lo, time, freq, chans, kh, kw],
      );
      return dx;
    },
    backwardWeight(dy, x, { kh, kw }) {
      const [batch, time, freq, chans] = [dy.shape[0]!, dy.shape[1]!, dy.shape[2]!, dy.shape[3]!];
      const dw = w.output([chans, 1, kh, kw], 'conv2d.dw');
      reduceOverParts(w, {
        kernel: 'conv2dBackwardWeightParts',
        parts: batch,
        width: chans * kh * kw,
        args: (lo, hi, partials, scratch) => [w.ptr(dy), w.ptr(x), partials, scratch, lo, hi, time, freq, chans, kh, kw],
        scratchBytes: () => k.conv2dBackwardWeightScratchBytes(chans, kh, kw, time, freq),
      }, dw);
      return dw;
    },
  };
}
