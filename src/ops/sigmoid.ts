import { defineOp } from '../runtime/op.ts';
import type { Tape } from '../runtime/tape.ts';
import type { Tensor } from '../runtime/tensor.ts';

/** 1 / (1 + exp(−x)); backward uses the saved output: dy · y · (1 − y). */
export const sigmoidOp = defineOp<null>({
  name: 'sigmoid',
  shape: ([x]) => x!,
  forward: (k, [x]) => ({ out: k.sigmoid.forward(x!) }),
  backward: (k, dy, { out }) => [k.sigmoid.backward(dy, out)],
});

export function sigmoid(tape: Tape, x: Tensor): Tensor {
  return tape.apply(sigmoidOp, [x], null).out;
}
