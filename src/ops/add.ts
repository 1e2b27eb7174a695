import { defineOp } from '../runtime/op.ts';
import { expectShape } from '../runtime/shape.ts';
import type { Tape } from '../runtime/tape.ts';
import type { Tensor } from '../runtime/tensor.ts';

/** a + b, same shapes (the head adds fwd.tabJ and bwd.tabJ). Both gradients are dy itself. */
export const addOp = defineOp<null>({
  name: 'add',
  shape: ([a, b]) => {
    expectShape('add', 'b', b!, a!);
    return a!;
  },
  forward: (k, [a, b]) => ({ out: k.add.forward(a!, b!) }),
  backward: (_k, dy) => [dy, dy],
});

export function add(tape: Tape, a: Tensor, b: Tensor): Tensor {
  return tape.apply(addOp, [a, b], null).out;
}
