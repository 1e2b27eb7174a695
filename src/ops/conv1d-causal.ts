import type { Conv1dAttrs } from '../runtime/backend.ts';
import type { Gradient, OpDef } from '../runtime/op.ts';
import { expectDim, expectInteger, expectRank, expectShape } from '../runtime/shape.ts';
import type { Graph } from '../runtime/graph.ts';
import type { Tensor } from '../runtime/tensor.ts';
import { sumRows } from './reduce-sum.ts';

/**
 * Causal dilated Conv1D of the TABs: x (B, T, Cin), w (Cout, Cin, K), b (Cout) → (B, T, Cout); tap k reads
 * x[t − (K−1−k)·dilation] (tap 0 the oldest, Keras's kernel axis 0), zeros before t = 0. Any T, also T < dilation.
 */
export const conv1dCausalOp: OpDef<Conv1dAttrs> = {
  name: 'conv1d-causal',
  shape: ([x, w, b], { taps, dilation }) => {
    expectRank('conv1d-causal', 'x', x!, 3);
    expectRank('conv1d-causal', 'w', w!, 3);
    expectDim('conv1d-causal', 'w', w!, 1, x![2]!, "x's channels");
    expectDim('conv1d-causal', 'w', w!, 2, taps, 'taps');
    expectShape('conv1d-causal', 'b', b!, [w![0]!]);
    expectInteger('conv1d-causal', 'dilation', dilation, 1);
    return [x![0]!, x![1]!, w![0]!];
  },
  forward: (k, [x, w, b], a) => ({ out: k.conv1dCausal.forward(x!, w!, b!, a) }),
};

/** The backward of conv1dCausalOp. */
export const conv1dCausalGradient: Gradient<Conv1dAttrs> = {
  backward: (k, dy, { inputs: [x, w] }, a, needs) => [
    needs[0] ? k.conv1dCausal.backwardInput(dy, w!, a) : undefined,
    needs[1] ? k.conv1dCausal.backwardWeight(dy, x!, a) : undefined,
    needs[2] ? sumRows(k, dy) : undefined,
  ],
};

export function conv1dCausal(graph: Graph, x: Tensor, w: Tensor, b: Tensor, dilation: number): Tensor {
  return graph.apply(conv1dCausalOp, [x, w, b], { taps: w.shape[2]!, dilation }).out;
}
