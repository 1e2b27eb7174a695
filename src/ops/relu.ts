import { defineOp } from '../runtime/op.ts';
import type { Tape } from '../runtime/tape.ts';
import type { Tensor } from '../runtime/tensor.ts';

/** max(x, 0); backward masks dy by the saved output. */
export const reluOp = defineOp<null>({
  name: 'relu',
  shape: ([x]) => x!,
  forward: (k, [x]) => ({ out: k.relu.forward(x!) }),
  backward: (k, dy, { out }) => [k.relu.backward(dy, out)],
});

export function relu(tape: Tape, x: Tensor): Tensor {
  return tape.apply(reluOp, [x], null).out;
}
