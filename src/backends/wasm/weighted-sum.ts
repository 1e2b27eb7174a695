import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { NetworkTrainingExports } from './exports.ts';
import type { WasmTensors } from './tensors.ts';

/** The weighted-sum family on wasm tensors (kernels/network/weighted-sum.ts): z[b, c] = Σ_j w[j] · g[b, j, c]. */
export function weightedSumInference(w: WasmTensors): InferenceKernels['weightedSum'] {
  return {
    forward(g, weights) {
      const [batch, n, chans] = [g.shape[0]!, g.shape[1]!, g.shape[2]!];
      const z = w.output([batch, chans], 'weighted-sum.z');
      w.kernels.weightedSumForward(w.ptr(g), w.ptr(weights), w.ptr(z), batch, n, chans);
      return z;
    },
  };
}

/** weightedSum's backward: dg = w[j] · dz per pooled vector; dw[j] = Σ dz · g[·, j, ·] (f64 sums). */
export function weightedSumTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['weightedSum'] {
  return {
    backwardInput(dz, weight) {
      const [batch, chans, n] = [dz.shape[0]!, dz.shape[1]!, weight.shape[0]!];
      const dg = w.output([batch, n, chans], 'weighted-sum.dg');
      w.kernels.weightedSumBackwardInput(w.ptr(dz), w.ptr(weight), w.ptr(dg), batch, n, chans);
      return dg;
    },
    backwardWeight(dz, g) {
      const [batch, n, chans] = [g.shape[0]!, g.shape[1]!, g.shape[2]!];
      const dw = w.output([n], 'weighted-sum.dw');
      w.kernels.weightedSumBackwardWeight(w.ptr(dz), w.ptr(g), w.ptr(dw), batch, n, chans);
      return dw;
    },
  };
}
