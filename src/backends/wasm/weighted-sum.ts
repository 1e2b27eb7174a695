import type { InferenceKernels } from '../../runtime/backend.ts';
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
