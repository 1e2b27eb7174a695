import type { InferenceKernels, ReduceAttrs, TrainingKernels } from '../../runtime/backend.ts';
import { numElements, type Shape } from '../../runtime/tensor.ts';
import type { NetworkTrainingExports } from './exports.ts';
import { reduceOverParts, rowGrain, type Parts } from './parts.ts';
import type { WasmTensors } from './tensors.ts';

/** x seen as (outer, mid, inner) for a reduction over axes [axis, axis + count), and y's shape. */
function reduction(shape: Shape, { axis, count }: ReduceAttrs) {
  return {
    outer: numElements(shape.slice(0, axis)),
    mid: numElements(shape.slice(axis, axis + count)),
    inner: numElements(shape.slice(axis + count)),
    yShape: [...shape.slice(0, axis), ...shape.slice(axis + count)],
  };
}

/**
 * The reduce-sum family on wasm tensors (kernels/network/reduce-sum.ts): y = scale · the sum over axes
 * [axis, axis + count), x seen as (outer, mid, inner), the o split over the threads (each sums its own rows).
 */
export function reduceSumInference(w: WasmTensors): InferenceKernels['reduceSum'] {
  const k = w.kernels;
  return {
    forward(x, attrs) {
      const { outer, mid, inner, yShape } = reduction(x.shape, attrs);
      const y = w.output(yShape, 'reduce-sum.y');
      w.parallel(
        'reduceSumForward',
        outer,
        () => k.reduceSumScratchBytes(inner),
        (lo, hi, scratch) => [w.at(x, lo * mid * inner), w.at(y, lo * inner), scratch, hi - lo, mid, inner, attrs.scale],
        rowGrain(mid * inner),
      );
      return y;
    },
  };
}

/**
 * reduceSum in the training module. forward replaces the inference one (withTraining merges a family's kernels):
 * the bias gradients sum a whole batch into one row (outer = 1), so each o's rows go in parts of CHUNK_ROWS over
 * the threads, combined in part order (src/backends/wasm/parts.ts); the page's inference module keeps the one-pass
 * walk, smaller. backward: dx = scale · dy broadcast back to `like`'s shape, plus `addend` when given, in one pass,
 * rows of inner split over the threads.
 */
export function reduceSumTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['reduceSum'] & InferenceKernels['reduceSum'] {
  const k = w.kernels;
  return {
    forward(x, attrs) {
      const { outer, mid, inner, yShape } = reduction(x.shape, attrs);
      const y = w.output(yShape, 'reduce-sum.y');
      const parts: Parts = {
        kernel: 'reduceSumParts',
        parts: outer * k.chunkCount(mid),
        width: inner,
        args: (lo, hi, partials, scratch) => [w.ptr(x), partials, scratch, lo, hi, mid, inner],
        scratchBytes: () => k.reduceSumScratchBytes(inner),
      };
      reduceOverParts(w, parts, y, { scale: attrs.scale, groups: outer });
      return y;
    },
    backward(dy, like, attrs, addend) {
      const { outer, mid, inner } = reduction(like.shape, attrs);
      const dx = w.output(like.shape, 'reduce-sum.dx');
      const a = addend === undefined ? 0 : w.ptr(addend);
      w.parallel(
        'reduceSumBackward',
        outer * mid,
        () => 0,
        (lo, hi) => [w.ptr(dy), a, w.ptr(dx), lo, hi, mid, inner, attrs.scale, addend === undefined ? 0 : 1],
        rowGrain(inner),
      );
      return dx;
    },
  };
}
