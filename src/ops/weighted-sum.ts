import type { Gradient, OpDef } from '../runtime/op.ts';
import { expectRank, expectShape } from '../runtime/shape.ts';
import type { Graph } from '../runtime/graph.ts';
import type { Tensor } from '../runtime/tensor.ts';

/** The head's learned weighted sum (TIM-Net WeightLayer): g (B, n, C), w (n) → z (B, C) = Σ_j w[j] · g[:, j]. */
export const weightedSumOp: OpDef<null> = {
  name: 'weighted-sum',
  shape: ([g, w]) => {
    expectRank('weighted-sum', 'g', g!, 3);
    expectShape('weighted-sum', 'w', w!, [g![1]!]);
    return [g![0]!, g![2]!];
  },
  forward: (k, [g, w]) => ({ out: k.weightedSum.forward(g!, w!) }),
};

/** The backward of weightedSumOp. */
export const weightedSumGradient: Gradient<null> = {
  backward: (k, dz, { inputs: [g, w] }, _a, needs) => [
    needs[0] ? k.weightedSum.backwardInput(dz, w!) : undefined,
    needs[1] ? k.weightedSum.backwardWeight(dz, g!) : undefined,
  ],
};

export function weightedSum(graph: Graph, g: Tensor, w: Tensor): Tensor {
  return graph.apply(weightedSumOp, [g, w], null).out;
}
