import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { numElements } from '../../runtime/tensor.ts';
import type { NetworkTrainingExports } from './exports.ts';
import { reduceOverParts } from './parts.ts';
import type { WasmTensors } from './tensors.ts';

/** Rows per thread at least: below this, packing the weights again costs more than the rows (and gemm tiles 4 rows). */
const ROW_GRAIN = 64;

/**
 * The dense family on wasm tensors (kernels/network/dense.ts). w is read as (Out, In) = (w.shape[0], the rest):
 * Dense, Conv1D k = 1 and the 1×1 Conv2D alike; rows split over the threads, each range packing the weights into
 * its scratch (the per-sample forward: samples split).
 */
export function denseInference(w: WasmTensors): InferenceKernels['dense'] {
  const k = w.kernels;
  return {
    forward(x, weight, b) {
      const cout = weight.shape[0]!;
      const cin = x.shape[x.shape.length - 1]!;
      const rows = x.numElements / cin;
      const y = w.output([...x.shape.slice(0, -1), cout], 'dense.y');
      w.parallel(
        'denseForward',
        rows,
        () => k.denseScratchBytes(cout, cin),
        (lo, hi, scratch) => [w.at(x, lo * cin), w.ptr(weight), w.ptr(b), w.at(y, lo * cout), scratch, hi - lo, cin, cout],
        ROW_GRAIN,
      );
      return y;
    },

    forwardPerSample(x, weight, b) {
      const [batch, cin] = [x.shape[0]!, x.shape[x.shape.length - 1]!];
      const mid = numElements(x.shape.slice(1, -1));
      const y = w.output([...x.shape.slice(0, -1), 1], 'dense.y');
      w.parallel('denseForwardPerSample', batch, () => 0, (lo, hi) => [w.at(x, lo * mid * cin), w.at(weight, lo * cin), w.ptr(b), w.at(y, lo * mid), hi - lo, mid, cin]);
      return y;
    },
  };
}

/**
 * dense's backward on all threads: backwardInput through gemm.ts with w packed untransposed, rows split; the weight
 * gradient over parts of CHUNK_ROWS rows combined in part order (src/backends/wasm/parts.ts); the per-sample
 * entries split the batch.
 */
export function denseTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['dense'] {
  const k = w.kernels;
  return {
    backwardInput(dy, weight) {
      const cout = weight.shape[0]!;
      const cin = weight.numElements / cout;
      const rows = dy.numElements / cout;
      const dx = w.output([...dy.shape.slice(0, -1), cin], 'dense.dx');
      w.parallel(
        'denseBackwardInput',
        rows,
        () => k.denseBackwardInputScratchBytes(cout, cin),
        (lo, hi, scratch) => [w.at(dy, lo * cout), w.ptr(weight), w.at(dx, lo * cin), scratch, hi - lo, cin, cout],
        ROW_GRAIN,
      );
      return dx;
    },
    backwardWeight(dy, x) {
      const [cin, cout] = [x.shape[x.shape.length - 1]!, dy.shape[dy.shape.length - 1]!];
      const rows = x.numElements / cin;
      const dw = w.output([cout, cin], 'dense.dw');
      reduceOverParts(w, {
        kernel: 'denseBackwardWeightParts',
        parts: k.chunkCount(rows),
        width: cout * cin,
        args: (lo, hi, partials) => [w.ptr(dy), w.ptr(x), partials, lo, hi, rows, cin, cout],
      }, dw);
      return dw;
    },
    backwardInputPerSample(dy, weight) {
      const [batch, cin] = [weight.shape[0]!, weight.shape[1]!];
      const mid = dy.numElements / batch;
      const dx = w.output([...dy.shape.slice(0, -1), cin], 'dense.dx');
      w.parallel('denseBackwardInputPerSample', batch, () => 0, (lo, hi) => [w.at(dy, lo * mid), w.at(weight, lo * cin), w.at(dx, lo * mid * cin), hi - lo, mid, cin]);
      return dx;
    },
    backwardWeightPerSample(dy, x, weight) {
      const [batch, cin] = [x.shape[0]!, x.shape[x.shape.length - 1]!];
      const mid = x.numElements / (batch * cin);
      const dw = w.output(weight.shape, 'dense.dw');
      w.parallel('denseBackwardWeightPerSample', batch, () => 0, (lo, hi) => [w.at(dy, lo * mid), w.at(x, lo * mid * cin), w.at(dw, lo * cin), hi - lo, mid, cin]);
      return dw;
    },
  };
}
