import type { FusedInferenceBackend } from '../runtime/backend.ts';
import type { Graph } from '../runtime/graph.ts';
import type { OpDef } from '../runtime/op.ts';
import { expectDim, expectRank, expectShape, paddedToVec4 } from '../runtime/shape.ts';
import type { Tensor } from '../runtime/tensor.ts';

/**
 * direction-dense (inference only, fused): dense over the last axis with each direction's own weights, both
 * directions at once: x (2B, …, In), w packed (2, In, 4⌈Out/4⌉) (w[d, i, o] = weight [o, i], zero past Out),
 * b (2, Out) → (2B, …, Out). The branches' conv_in.
 */
export const directionDenseOp: OpDef<Record<string, never>, FusedInferenceBackend> = {
  name: 'direction-dense',
  shape: ([x, w, b]) => {
    const op = 'direction-dense';
    expectRank(op, 'b', b!, 2);
    expectDim(op, 'b', b!, 0, 2, 'directions');
    const outputs = b![1]!;
    expectShape(op, 'w', w!, [2, x![x!.length - 1]!, paddedToVec4(outputs)]);
    return [...x!.slice(0, -1), outputs];
  },
  forward: (k, [x, w, b]) => ({ out: k.directionDense.forward(x!, w!, b!) }),
};

export function directionDense(graph: Graph<FusedInferenceBackend>, x: Tensor, w: Tensor, b: Tensor): Tensor {
  return graph.apply(directionDenseOp, [x, w, b], {}).out;
}
