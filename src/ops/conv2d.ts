import type { Conv2dAttrs } from '../runtime/backend.ts';
import type { Gradient, OpDef } from '../runtime/op.ts';
import { expectDim, expectRank, expectShape } from '../runtime/shape.ts';
import type { Graph } from '../runtime/graph.ts';
import type { Tensor } from '../runtime/tensor.ts';
import { sumRows } from './reduce-sum.ts';

/**
 * Conv2D of the TF-fusion paths: x (B, T, F) one channel, w (C, 1, KH, KW), b (C) → (B, T, F, C), TF 'same'
 * zero padding ⌊(K−1)/2⌋ before on each axis.
 */
export const conv2dOp: OpDef<Conv2dAttrs> = {
  name: 'conv2d',
  shape: ([x, w, b], { kh, kw }) => {
    expectRank('conv2d', 'x', x!, 3);
    expectRank('conv2d', 'w', w!, 4);
    expectDim('conv2d', 'w', w!, 1, 1, 'one input channel');
    expectDim('conv2d', 'w', w!, 2, kh, 'kh');
    expectDim('conv2d', 'w', w!, 3, kw, 'kw');
    expectShape('conv2d', 'b', b!, [w![0]!]);
    return [...x!, w![0]!];
  },
  forward: (k, [x, w, b], a) => ({ out: k.conv2d.forward(x!, w!, b!, a) }),
};

/** The backward of conv2dOp. */
export const conv2dGradient: Gradient<Conv2dAttrs> = {
  backward: (k, dy, { inputs: [x, w] }, a, needs) => [
    needs[0] ? k.conv2d.backwardInput(dy, w!, a) : undefined,
    needs[1] ? k.conv2d.backwardWeight(dy, x!, a) : undefined,
    needs[2] ? sumRows(k, dy) : undefined,
  ],
};

export function conv2d(graph: Graph, x: Tensor, w: Tensor, b: Tensor): Tensor {
  return graph.apply(conv2dOp, [x, w, b], { kh: w.shape[2]!, kw: w.shape[3]! }).out;
}
