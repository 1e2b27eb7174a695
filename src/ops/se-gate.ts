import type { FusedInferenceBackend } from '../runtime/backend.ts';
import type { Graph } from '../runtime/graph.ts';
import type { OpDef } from '../runtime/op.ts';
import { expectRank, expectShape } from '../runtime/shape.ts';
import type { Tensor } from '../runtime/tensor.ts';

/**
 * se-gate (inference only, fused): squeeze-and-excitation's gate of both directions times the 1×1 conv weight,
 * from tf-path's squeeze sums: partial (2B, T, S, C), fc1w, fc2w (2, C, C), fc1b, fc2b, w1x1 (2, C) → (2B, C).
 */
export const seGateOp: OpDef<{ readonly scale: number }, FusedInferenceBackend> = {
  name: 'se-gate',
  shape: ([partial, fc1w, fc1b, fc2w, fc2b, w1x1]) => {
    const op = 'se-gate';
    expectRank(op, 'rowSums', partial!, 4);
    const chans = partial![3]!;
    expectShape(op, 'fc1w', fc1w!, [2, chans, chans]);
    expectShape(op, 'fc2w', fc2w!, [2, chans, chans]);
    for (const [name, s] of [['fc1b', fc1b], ['fc2b', fc2b], ['w1x1', w1x1]] as const) expectShape(op, name, s!, [2, chans]);
    return [partial![0]!, chans];
  },
  forward: (k, [partial, fc1w, fc1b, fc2w, fc2b, w1x1], a) => ({ out: k.seGate.forward(partial!, fc1w!, fc1b!, fc2w!, fc2b!, w1x1!, a) }),
};

export function seGate(graph: Graph<FusedInferenceBackend>, partial: Tensor, weights: readonly [Tensor, Tensor, Tensor, Tensor, Tensor], scale: number): Tensor {
  return graph.apply(seGateOp, [partial, ...weights], { scale }).out;
}
