import type { Gradient, OpDef } from '../runtime/op.ts';
import type { Graph } from '../runtime/graph.ts';
import type { Tensor } from '../runtime/tensor.ts';

/** 1 / (1 + exp(−x)); backward uses the saved output: dy · y · (1 − y). */
export const sigmoidOp: OpDef<null> = {
  name: 'sigmoid',
  shape: ([x]) => x!,
  forward: (k, [x]) => ({ out: k.sigmoid.forward(x!) }),
};

/** The backward of sigmoidOp. */
export const sigmoidGradient: Gradient<null> = {
  backward: (k, dy, { out }) => [k.sigmoid.backward(dy, out)],
};

export function sigmoid(graph: Graph, x: Tensor): Tensor {
  return graph.apply(sigmoidOp, [x], null).out;
}
