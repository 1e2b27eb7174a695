import { defineOp } from '../runtime/op.ts';
import { expectRank, expectShape } from '../runtime/shape.ts';
import type { Tape } from '../runtime/tape.ts';
import type { Tensor } from '../runtime/tensor.ts';

/** The head's learned weighted sum (TIM-Net WeightLayer): g (B, n, C), w (n) → z (B, C) = Σ_j w[j] · g[:, j]. */
export const weightedSumOp = defineOp<null>({
  name: 'weighted-sum',
  shape: ([g, w]) => {
    expectRank('weighted-sum', 'g', g!, 3);
    expectShape('weighted-sum', 'w', w!, [g![1]!]);
    return [g![0]!, g![2]!];
  },
  forward: (k, [g, w]) => ({ out: k.weightedSum.forward(g!, w!) }),
  backward: (k, dz, { inputs: [g, w] }, _a, needs) => [
    needs[0] ? k.weightedSum.backwardInput(dz, w!) : undefined,
    needs[1] ? k.weightedSum.backwardWeight(dz, g!) : undefined,
  ],
});

export function weightedSum(tape: Tape, g: Tensor, w: Tensor): Tensor {
  return tape.apply(weightedSumOp, [g, w], null).out;
}
