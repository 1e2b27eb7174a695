import type { Gradient, OpDef } from '../runtime/op.ts';
import type { Graph } from '../runtime/graph.ts';
import type { Tensor } from '../runtime/tensor.ts';

/** max(x, 0); backward masks dy by the saved output. */
export const reluOp: OpDef<null> = {
  name: 'relu',
  shape: ([x]) => x!,
  forward: (k, [x]) => ({ out: k.relu.forward(x!) }),
};

/** The backward of reluOp. */
export const reluGradient: Gradient<null> = {
  backward: (k, dy, { out }) => [k.relu.backward(dy, out)],
};

export function relu(graph: Graph, x: Tensor): Tensor {
  return graph.apply(reluOp, [x], null).out;
}
