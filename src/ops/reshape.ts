import { ShapeError } from '../errors.ts';
import { defineOp } from '../runtime/op.ts';
import type { Tape } from '../runtime/tape.ts';
import { formatShape, numElements, type Shape, type Tensor } from '../runtime/tensor.ts';

/** A view with another shape of the same size (no kernel on any backend): drops the 1×1 conv's channel axis. */
export const reshapeOp = defineOp<{ readonly shape: Shape }>({
  name: 'reshape',
  shape: ([x], { shape }) => {
    if (numElements(shape) !== numElements(x!)) {
      throw new ShapeError(`reshape: cannot view ${formatShape(x!)} as ${formatShape(shape)}`);
    }
    return shape;
  },
  forward: (_k, [x], { shape }) => ({ out: x!.view(shape) }),
  backward: (_k, dy, { inputs: [x] }) => [dy.view(x!.shape)],
});

export function reshape(tape: Tape, x: Tensor, shape: Shape): Tensor {
  return tape.apply(reshapeOp, [x], { shape }).out;
}
