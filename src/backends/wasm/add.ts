import type { InferenceKernels } from '../../runtime/backend.ts';
import type { WasmTensors } from './tensors.ts';

/** The add family on wasm tensors (kernels/network/add.ts): y = a + b, same shapes. */
export function addInference(w: WasmTensors): InferenceKernels['add'] {
  return {
    forward(a, b) {
      const y = w.output(a.shape, 'add.y');
      w.kernels.addForward(w.ptr(a), w.ptr(b), w.ptr(y), a.numElements);
      return y;
    },
  };
}
