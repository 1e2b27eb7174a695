import type { Gradient, OpDef } from '../runtime/op.ts';
import { expectDim, expectRank, expectShape } from '../runtime/shape.ts';
import type { Graph } from '../runtime/graph.ts';
import type { Tensor } from '../runtime/tensor.ts';

/**
 * a · b elementwise, b either of a's shape (TAB gate: in · sigmoid(…)) or (B, C) broadcast over the middle axes
 * of a (B, …, C) (SE: tf scaled by the channel gate).
 */
export const mulOp: OpDef<null> = {
  name: 'mul',
  shape: ([a, b]) => {
    if (b!.length !== a!.length) {
      expectRank('mul', 'b', b!, 2);
      expectDim('mul', 'b', b!, 0, a![0]!, "a's batch");
      expectDim('mul', 'b', b!, 1, a![a!.length - 1]!, "a's channels");
    } else {
      expectShape('mul', 'b', b!, a!);
    }
    return a!;
  },
  forward: (k, [a, b]) => ({ out: k.mul.forward(a!, b!) }),
};

/** The backward of mulOp. */
export const mulGradient: Gradient<null> = {
  backward: (k, dy, { inputs: [a, b] }, _attrs, needs) => [
    needs[0] ? k.mul.forward(dy, b!) : undefined,
    needs[1] ? k.mul.backwardB(dy, a!, b!) : undefined,
  ],
};

export function mul(graph: Graph, a: Tensor, b: Tensor): Tensor {
  return graph.apply(mulOp, [a, b], null).out;
}
