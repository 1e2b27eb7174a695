import type { InferenceKernels } from '../../runtime/backend.ts';
import type { WasmTensors } from './tensors.ts';

/** The sigmoid family on wasm tensors (kernels/network/sigmoid.ts): y = 1 / (1 + exp(−x)). */
export function sigmoidInference(w: WasmTensors): InferenceKernels['sigmoid'] {
  return {
    forward(x) {
      const y = w.output(x.shape, 'sigmoid.y');
      w.kernels.sigmoidForward(w.ptr(x), w.ptr(y), x.numElements);
      return y;
    },
  };
}
