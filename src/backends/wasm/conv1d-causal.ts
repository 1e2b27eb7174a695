import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { NetworkTrainingExports } from './exports.ts';
import { reduceOverParts, type Parts } from './parts.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * The conv1d-causal family on wasm tensors (kernels/network/conv1d-causal.ts): x (B, T, Cin), w (Cout, Cin, K)
 * → (B, T, Cout), tap k reading x[t − (K−1−k)·d]; samples split over the threads, each range packing the weights into
 * its scratch.
 */
export function conv1dCausalInference(w: WasmTensors): InferenceKernels['conv1dCausal'] {
  const k = w.kernels;
  return {
    forward(x, weight, bias, { taps, dilation }) {
      const [batch, time, cin, cout] = [x.shape[0]!, x.shape[1]!, x.shape[2]!, weight.shape[0]!];
      const y = w.output([batch, time, cout], 'conv1d-causal.y');
      w.parallel(
        'conv1dCausalForward',
        batch,
        () => k.conv1dCausalScratchBytes(cout, cin, taps),
        (lo, hi, scratch) => [w.at(x, lo * time * cin), w.ptr(weight), w.ptr(bias), w.at(y, lo * time * cout), scratch, hi - lo, time, cin, cout, taps, dilation],
      );
      return y;
    },
  };
}

/**
 * conv1dCausal's backward, both through gemm.ts, samples split over the threads: input (taps reaching forward in
 * time), weight (each sample a part of a fixed-order sum, combined in sample order: src/backends/wasm/parts.ts).
 */
export function conv1dCausalTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['conv1dCausal'] {
  const k = w.kernels;
  return {
    backwardInput(dy, weight, { taps, dilation }) {
      const [batch, time, cout, cin] = [dy.shape[0]!, dy.shape[1]!, dy.shape[2]!, weight.shape[1]!];
      const dx = w.output([batch, time, cin], 'conv1d-causal.dx');
      w.parallel(
        'conv1dCausalBackwardInput',
        batch,
        () => k.conv1dCausalBackwardInputScratchBytes(cout, cin, taps),
        (lo, hi, scratch) => [w.at(dy, lo * time * cout), w.ptr(weight), w.at(dx, lo * time * cin), scratch, hi - lo, time, cin, cout, taps, dilation],
      );
      return dx;
    },
    backwardWeight(dy, x, { taps, dilation }) {
      const [batch, time, cout, cin] = [dy.shape[0]!, dy.shape[1]!, dy.shape[2]!, x.shape[2]!];
      const dw = w.output([cout, cin, taps], 'conv1d-causal.dw');
      const parts: Parts = {
        kernel: 'conv1dCausalBackwardWeightParts',
        parts: batch,
        width: taps * cout * cin,
        args: (lo, hi, partials, scratch) => [w.ptr(dy), w.ptr(x), partials, scratch, lo, hi, time, cin, cout, taps, dilation],
        scratchBytes: () => k.conv1dCausalBackwardWeightScratchBytes(cout, cin, taps, time),
      };
      reduceOverParts(w, parts, dw, { taps });
      return dw;
    },
  };
}
