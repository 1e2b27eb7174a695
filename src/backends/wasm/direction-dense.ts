import type { FusedInferenceKernels } from '../../runtime/backend.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * The direction-dense family on wasm tensors (kernels/network/direction-dense.ts): x (2B, …, In), w packed
 * (2, In, 4⌈Out/4⌉) read as gemm weight rows as uploaded, b (2, Out) → (2B, …, Out); samples split over the threads.
 */
export function directionDenseInference(w: WasmTensors): FusedInferenceKernels['directionDense'] {
  return {
    forward(x, weight, b) {
      const [stacked, cin, cout] = [x.shape[0]!, x.shape[x.shape.length - 1]!, b.shape[1]!];
      const rows = x.numElements / (stacked * cin);
      const y = w.output([...x.shape.slice(0, -1), cout], 'direction-dense.y');
      w.parallel('directionDenseForward', stacked, () => 0, (lo, hi) => [w.ptr(x), w.ptr(weight), w.ptr(b), w.ptr(y), lo, hi, stacked / 2, rows, cin, cout]);
      return y;
    },
  };
}
