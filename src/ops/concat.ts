import { ShapeError } from '../errors.ts';
import type { Gradient, OpDef } from '../runtime/op.ts';
import { expectInteger } from '../runtime/shape.ts';
import type { Graph } from '../runtime/graph.ts';
import { formatShape, type Tensor } from '../runtime/tensor.ts';

/** Concatenation along one axis (TF paths along frequency, the skip along features, pooled vectors along n). */
export const concatOp: OpDef<{ readonly axis: number }> = {
  name: 'concat',
  shape: (parts, { axis }) => {
    const first = parts[0];
    if (first === undefined) throw new ShapeError('concat: needs at least one input');
    expectInteger('concat', 'axis', axis, 0);
    if (axis >= first.length) throw new ShapeError(`concat: axis ${axis} does not exist in ${formatShape(first)}`);
    parts.forEach((p, i) => {
      if (p.length !== first.length || p.some((d, j) => j !== axis && d !== first[j])) {
        throw new ShapeError(`concat: parts[${i}] has shape ${formatShape(p)}, expected ${formatShape(first)} except on axis ${axis}`);
      }
    });
    return first.map((d, j) => (j === axis ? parts.reduce((sum, p) => sum + p[axis]!, 0) : d));
  },
  forward: (k, parts, a) => ({ out: k.concat.forward(parts, a) }),
};

/** The backward of concatOp. */
export const concatGradient: Gradient<{ readonly axis: number }> = {
  backward: (k, dy, { inputs }, { axis }, needs) => {
    let start = 0;
    return inputs.map((part, i) => {
      const width = part.shape[axis]!;
      const grad = needs[i] ? k.concat.slice(dy, { axis, start, width }) : undefined;
      start += width;
      return grad;
    });
  },
};

export function concat(graph: Graph, parts: readonly Tensor[], axis: number): Tensor {
  return graph.apply(concatOp, parts, { axis }).out;
}
