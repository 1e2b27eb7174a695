import type { InferenceKernels } from '../../runtime/backend.ts';
import { numElements } from '../../runtime/tensor.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * The dense family on wasm tensors (kernels/network/dense.ts). w is read as (Out, In) = (w.shape[0], the rest):
 * Dense, Conv1D k = 1 and the 1×1 Conv2D alike; forward packs it into scratch for the call.
 */
export function denseInference(w: WasmTensors): InferenceKernels['dense'] {
  const k = w.kernels;
  return {
    forward(x, weight, b) {
      const cout = weight.shape[0]!;
      const cin = x.shape[x.shape.length - 1]!;
      const rows = x.numElements / cin;
      const y = w.output([...x.shape.slice(0, -1), cout], 'dense.y');
      w.withScratch(k.denseScratchBytes(cout, cin), (scratch) => k.denseForward(w.ptr(x), w.ptr(weight), w.ptr(b), w.ptr(y), scratch, rows, cin, cout));
      return y;
    },

    forwardPerSample(x, weight, b) {
      const [batch, cin] = [x.shape[0]!, x.shape[x.shape.length - 1]!];
      const mid = numElements(x.shape.slice(1, -1));
      const y = w.output([...x.shape.slice(0, -1), 1], 'dense.y');
      k.denseForwardPerSample(w.ptr(x), w.ptr(weight), w.ptr(b), w.ptr(y), batch, mid, cin);
      return y;
    },
  };
}
