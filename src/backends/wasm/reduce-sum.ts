import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { numElements } from '../../runtime/tensor.ts';
import type { NetworkTrainingExports } from './exports.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * The reduce-sum family on wasm tensors (kernels/network/reduce-sum.ts): y = scale · the sum over axes
 * [axis, axis + count), x seen as (outer, mid, inner).
 */
export function reduceSumInference(w: WasmTensors): InferenceKernels['reduceSum'] {
  return {
    forward(x, { axis, count, scale }) {
      const outer = numElements(x.shape.slice(0, axis));
      const mid = numElements(x.shape.slice(axis, axis + count));
      const inner = numElements(x.shape.slice(axis + count));
      const y = w.output([...x.shape.slice(0, axis), ...x.shape.slice(axis + count)], 'reduce-sum.y');
      const k = w.kernels;
      w.withScratch(k.reduceSumScratchBytes(inner), (scratch) => k.reduceSumForward(w.ptr(x), w.ptr(y), scratch, outer, mid, inner, scale));
      return y;
    },
  };
}

/** reduceSum's backward: dx = scale · dy broadcast back to `like`'s shape, plus `addend` when given, in one pass. */
export function reduceSumTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['reduceSum'] {
  return {
    backward(dy, like, { axis, count, scale }, addend) {
      const outer = numElements(like.shape.slice(0, axis));
      const mid = numElements(like.shape.slice(axis, axis + count));
      const inner = numElements(like.shape.slice(axis + count));
      const dx = w.output(like.shape, 'reduce-sum.dx');
      const a = addend === undefined ? 0 : w.ptr(addend);
      w.kernels.reduceSumBackward(w.ptr(dy), a, w.ptr(dx), outer, mid, inner, scale, addend === undefined ? 0 : 1);
      return dx;
    },
  };
}
