import type { Gradient, OpDef } from '../runtime/op.ts';
import { ShapeError } from '../errors.ts';
import type { Graph } from '../runtime/graph.ts';
import type { Tensor } from '../runtime/tensor.ts';

/** Reverses axis 1 (time) of (B, T, …): the bwd branch's input. A permutation, so it is its own backward. */
export const reverseTimeOp: OpDef<null> = {
  name: 'reverse-time',
  shape: ([x]) => {
    if (x!.length < 2) throw new ShapeError(`reverse-time: x needs a time axis (axis 1), got rank ${x!.length}`);
    return x!;
  },
  forward: (k, [x]) => ({ out: k.reverseTime.forward(x!) }),
};

/** The backward of reverseTimeOp. */
export const reverseTimeGradient: Gradient<null> = {
  backward: (k, dy) => [k.reverseTime.forward(dy)],
};

export function reverseTime(graph: Graph, x: Tensor): Tensor {
  return graph.apply(reverseTimeOp, [x], null).out;
}
