import type { Gradient, OpDef } from '../runtime/op.ts';
import { expectShape } from '../runtime/shape.ts';
import type { Graph } from '../runtime/graph.ts';
import type { Tensor } from '../runtime/tensor.ts';

/** a + b, same shapes (the head adds fwd.tabJ and bwd.tabJ). Both gradients are dy itself. */
export const addOp: OpDef<null> = {
  name: 'add',
  shape: ([a, b]) => {
    expectShape('add', 'b', b!, a!);
    return a!;
  },
  forward: (k, [a, b]) => ({ out: k.add.forward(a!, b!) }),
};

/** The backward of addOp. */
export const addGradient: Gradient<null> = {
  backward: (_k, dy) => [dy, dy],
};

export function add(graph: Graph, a: Tensor, b: Tensor): Tensor {
  return graph.apply(addOp, [a, b], null).out;
}
