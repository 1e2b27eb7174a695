import type { InferenceKernels } from '../../runtime/backend.ts';
import type { WasmTensors } from './tensors.ts';

/** The relu family on wasm tensors (kernels/network/relu.ts): y = max(x, 0). */
export function reluInference(w: WasmTensors): InferenceKernels['relu'] {
  return {
    forward(x) {
      const y = w.output(x.shape, 'relu.y');
      w.kernels.reluForward(w.ptr(x), w.ptr(y), x.numElements);
      return y;
    },
  };
}
