import type { FusedInferenceBackend, SeGateWeights, TfPathAttrs } from '../runtime/backend.ts';
import type { Graph } from '../runtime/graph.ts';
import type { OpDef } from '../runtime/op.ts';
import { expectDim, expectRank, expectShape, paddedToVec4 } from '../runtime/shape.ts';
import type { Tensor } from '../runtime/tensor.ts';

/** The SE weights in the order the op takes them after x, w, b. */
const SE_INPUTS = ['fc1w', 'fc1b', 'fc2w', 'fc2b', 'w1x1', 'gateBias'] as const;

/**
 * tf-path (inference only, fused): the TF-fusion paths relu(conv2d(x_d) + b) of both directions (BatchNorm folded
 * into the conv), their SE gate, the gated 1×1 conv of the paths, its ReLU and the skip concatenation with x_d.
 * x (B, T, F), w packed (2, Σ_p KH_p·KW_p, 4⌈C/4⌉), b (2, P, C), fc1w, fc2w (2, C, C), fc1b, fc2b, w1x1 (2, C),
 * gateBias (2) → (2B, T, (P+1)·F). See FusedInferenceKernels.tfPath.
 */
export const tfPathOp: OpDef<TfPathAttrs, FusedInferenceBackend> = {
  name: 'tf-path',
  shape: ([x, w, b, fc1w, fc1b, fc2w, fc2b, w1x1, gateBias], { kernels }) => {
    const op = 'tf-path';
    expectRank(op, 'x', x!, 3);
    expectRank(op, 'b', b!, 3);
    expectDim(op, 'b', b!, 0, 2, 'directions');
    expectDim(op, 'b', b!, 1, kernels.length, 'paths');
    const chans = b![2]!;
    expectShape(op, 'w', w!, [2, kernels.reduce((sum, [kh, kw]) => sum + kh * kw, 0), paddedToVec4(chans)]);
    for (const [name, s] of [['fc1w', fc1w], ['fc2w', fc2w]] as const) expectShape(op, name, s!, [2, chans, chans]);
    for (const [name, s] of [['fc1b', fc1b], ['fc2b', fc2b], ['w1x1', w1x1]] as const) expectShape(op, name, s!, [2, chans]);
    expectShape(op, 'gateBias', gateBias!, [2]);
    return [2 * x![0]!, x![1]!, (kernels.length + 1) * x![2]!];
  },
  forward: (k, [x, w, b, fc1w, fc1b, fc2w, fc2b, w1x1, gateBias], a) => ({
    out: k.tfPath.forward(x!, w!, b!, { fc1w: fc1w!, fc1b: fc1b!, fc2w: fc2w!, fc2b: fc2b!, w1x1: w1x1!, gateBias: gateBias! }, a),
  }),
};

export function tfPath(graph: Graph<FusedInferenceBackend>, x: Tensor, w: Tensor, b: Tensor, se: SeGateWeights, attrs: TfPathAttrs): Tensor {
  return graph.apply(tfPathOp, [x, w, b, ...SE_INPUTS.map((name) => se[name])], attrs).out;
}
