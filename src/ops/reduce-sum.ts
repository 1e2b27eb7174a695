import type { Backend, ReduceAttrs } from '../runtime/backend.ts';
import type { Gradient, OpDef } from '../runtime/op.ts';
import { expectInteger } from '../runtime/shape.ts';
import { ShapeError } from '../errors.ts';
import type { Graph } from '../runtime/graph.ts';
import { formatShape, numElements, type Tensor } from '../runtime/tensor.ts';

/** Scaled sum over a run of axes: mean over (T, 3F) for SE, over T for the head's pooling. */
export const reduceSumOp: OpDef<ReduceAttrs> = {
  name: 'reduce-sum',
  shape: ([x], { axis, count }) => {
    expectInteger('reduce-sum', 'axis', axis, 0);
    expectInteger('reduce-sum', 'count', count, 1);
    if (axis + count > x!.length) {
      throw new ShapeError(`reduce-sum: axes [${axis}, ${axis + count}) do not exist in x ${formatShape(x!)}`);
    }
    return [...x!.slice(0, axis), ...x!.slice(axis + count)];
  },
  forward: (k, [x], a) => ({ out: k.reduceSum.forward(x!, a) }),
};

/** The backward of reduceSumOp. */
export const reduceSumGradient: Gradient<ReduceAttrs> = {
  backward: (k, dy, { inputs: [x] }, a) => [k.reduceSum.backward(dy, x!, a)],
  backwardAdding: (k, dy, { inputs: [x] }, a, addend) => k.reduceSum.backward(dy, x!, a, addend),
};

/** Mean of x over axes [axis, axis + count); those axes disappear. */
export function mean(graph: Graph, x: Tensor, axis: number, count: number): Tensor {
  return scaledSum(graph, x, axis, count, 1 / numElements(x.shape.slice(axis, axis + count)));
}

/** scale · Σ of x over axes [axis, axis + count); those axes disappear. */
export function scaledSum(graph: Graph, x: Tensor, axis: number, count: number, scale: number): Tensor {
  return graph.apply(reduceSumOp, [x], { axis, count, scale }).out;
}

/** Σ of dy over every axis but the last: the gradient of a per-channel bias (kernel level, used in backwards). */
export function sumRows(k: Backend, dy: Tensor): Tensor {
  return k.reduceSum.forward(dy, { axis: 0, count: dy.shape.length - 1, scale: 1 });
}
