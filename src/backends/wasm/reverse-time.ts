import type { InferenceKernels } from '../../runtime/backend.ts';
import { numElements } from '../../runtime/tensor.ts';
import type { WasmTensors } from './tensors.ts';

/** The reverse-time family on wasm tensors (kernels/network/reverse-time.ts): y[b, t, …] = x[b, T − 1 − t, …]. */
export function reverseTimeInference(w: WasmTensors): InferenceKernels['reverseTime'] {
  return {
    forward(x) {
      const y = w.output(x.shape, 'reverse-time.y');
      w.kernels.reverseTimeForward(w.ptr(x), w.ptr(y), x.shape[0]!, x.shape[1]!, numElements(x.shape.slice(2)));
      return y;
    },
  };
}
