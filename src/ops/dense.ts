import type { Gradient, OpDef } from '../runtime/op.ts';
import { expectDim, expectShape } from '../runtime/shape.ts';
import type { Graph } from '../runtime/graph.ts';
import { numElements, type Tensor } from '../runtime/tensor.ts';
import { ShapeError } from '../errors.ts';
import { sumRows } from './reduce-sum.ts';

/**
 * Pointwise linear map over the last axis: x (…, In), w (Out, In[, 1[, 1]]), b (Out) → (…, Out). One family for
 * the SE and head Dense layers, the Conv1D k = 1 (`conv_in`) and the 1×1 Conv2D (`conv1x1`): the same numbers.
 */
export const denseOp: OpDef<null> = {
  name: 'dense',
  shape: ([x, w, b]) => {
    const cin = numElements(w!.slice(1));
    expectDim('dense', 'x', x!, x!.length - 1, cin, "w's input size");
    w!.slice(2).forEach((_, i) => expectDim('dense', 'w', w!, i + 2, 1, 'a pointwise kernel'));
    expectShape('dense', 'b', b!, [w![0]!]);
    return [...x!.slice(0, -1), w![0]!];
  },
  forward: (k, [x, w, b]) => ({ out: k.dense.forward(x!, w!, b!) }),
};

/** The backward of denseOp. */
export const denseGradient: Gradient<null> = {
  backward: (k, dy, { inputs: [x, w] }, _a, needs) => [
    needs[0] ? k.dense.backwardInput(dy, w!) : undefined,
    needs[1] ? k.dense.backwardWeight(dy, x!).view(w!.shape) : undefined,
    needs[2] ? sumRows(k, dy) : undefined,
  ],
};

export function dense(graph: Graph, x: Tensor, w: Tensor, b: Tensor): Tensor {
  return graph.apply(denseOp, [x, w, b], null).out;
}

/**
 * Dense to one output with a weight row per sample: x (B, …, In), w (B, In), b (1) → (B, …, 1),
 * y[n, …] = b + Σ_i w[n, i] · x[n, …, i]. The SE-gated 1×1 conv is this op with w = gate ⊙ the conv's weights
 * (Σ_i w_i · (g_ni · x_ni) = Σ_i (w_i · g_ni) · x_ni), so the gated activations are never materialised.
 */
export const perSampleDenseOp: OpDef<null> = {
  name: 'per-sample-dense',
  shape: ([x, w, b]) => {
    if (x!.length < 2) throw new ShapeError(`per-sample-dense: x needs a batch and an input axis, got rank ${x!.length}`);
    expectShape('per-sample-dense', 'w', w!, [x![0]!, x![x!.length - 1]!]);
    expectShape('per-sample-dense', 'b', b!, [1]);
    return [...x!.slice(0, -1), 1];
  },
  forward: (k, [x, w, b]) => ({ out: k.dense.forwardPerSample(x!, w!, b!) }),
};

/** The backward of perSampleDenseOp. */
export const perSampleDenseGradient: Gradient<null> = {
  backward: (k, dy, { inputs: [x, w] }, _a, needs) => [
    needs[0] ? k.dense.backwardInputPerSample(dy, w!) : undefined,
    needs[1] ? k.dense.backwardWeightPerSample(dy, x!, w!) : undefined,
    needs[2] ? sumRows(k, dy) : undefined,
  ],
};

export function perSampleDense(graph: Graph, x: Tensor, w: Tensor, b: Tensor): Tensor {
  return graph.apply(perSampleDenseOp, [x, w, b], null).out;
}
