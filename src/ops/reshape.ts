import { ShapeError } from '../errors.ts';
import type { Gradient, OpDef } from '../runtime/op.ts';
import type { Graph } from '../runtime/graph.ts';
import { formatShape, numElements, type Shape, type Tensor } from '../runtime/tensor.ts';

/** A view with another shape of the same size (no kernel on any backend): drops the 1×1 conv's channel axis. */
export const reshapeOp: OpDef<{ readonly shape: Shape }> = {
  name: 'reshape',
  shape: ([x], { shape }) => {
    if (numElements(shape) !== numElements(x!)) {
      throw new ShapeError(`reshape: cannot view ${formatShape(x!)} as ${formatShape(shape)}`);
    }
    return shape;
  },
  forward: (_k, [x], { shape }) => ({ out: x!.view(shape) }),
};

/** The backward of reshapeOp. */
export const reshapeGradient: Gradient<{ readonly shape: Shape }> = {
  backward: (_k, dy, { inputs: [x] }) => [dy.view(x!.shape)],
};

export function reshape(graph: Graph, x: Tensor, shape: Shape): Tensor {
  return graph.apply(reshapeOp, [x], { shape }).out;
}
