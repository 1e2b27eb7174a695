import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { numElements } from '../../runtime/tensor.ts';
import type { NetworkTrainingExports } from './exports.ts';
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

/**
 * dense's backward: backwardInput through gemm.ts with w packed untransposed; the weight gradients summed in a
 * fixed order (f32 chunks into f64 totals, kernels/network/accumulate.ts).
 */
export function denseTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['dense'] {
  const k = w.kernels;
  return {
    backwardInput(dy, weight) {
      const cout = weight.shape[0]!;
      const cin = weight.numElements / cout;
      const rows = dy.numElements / cout;
      const dx = w.output([...dy.shape.slice(0, -1), cin], 'dense.dx');
      w.withScratch(k.denseBackwardInputScratchBytes(cout, cin), (scratch) => k.denseBackwardInput(w.ptr(dy), w.ptr(weight), w.ptr(dx), scratch, rows, cin, cout));
      return dx;
    },
    backwardWeight(dy, x) {
      const [cin, cout] = [x.shape[x.shape.length - 1]!, dy.shape[dy.shape.length - 1]!];
      const rows = x.numElements / cin;
      const dw = w.output([cout, cin], 'dense.dw');
      w.withScratch(k.denseBackwardWeightScratchBytes(cout, cin), (scratch) => k.denseBackwardWeight(w.ptr(dy), w.ptr(x), w.ptr(dw), scratch, rows, cin, cout));
      return dw;
    },
    backwardInputPerSample(dy, weight) {
      const [batch, cin] = [weight.shape[0]!, weight.shape[1]!];
      const mid = dy.numElements / batch;
      const dx = w.output([...dy.shape.slice(0, -1), cin], 'dense.dx');
      k.denseBackwardInputPerSample(w.ptr(dy), w.ptr(weight), w.ptr(dx), batch, mid, cin);
      return dx;
    },
    backwardWeightPerSample(dy, x, weight) {
      const [batch, cin] = [x.shape[0]!, x.shape[x.shape.length - 1]!];
      const mid = x.numElements / (batch * cin);
      const dw = w.output(weight.shape, 'dense.dw');
      w.withScratch(k.denseBackwardWeightPerSampleScratchBytes(cin), (scratch) => k.denseBackwardWeightPerSample(w.ptr(dy), w.ptr(x), w.ptr(dw), scratch, batch, mid, cin));
      return dw;
    },
  };
}
