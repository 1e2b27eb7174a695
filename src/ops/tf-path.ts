import { TF_PATH_SPAN, type FusedInferenceBackend, type TfPathAttrs } from '../runtime/backend.ts';
import type { Graph } from '../runtime/graph.ts';
import type { OpDef } from '../runtime/op.ts';
import { expectDim, expectRank, expectShape, paddedToVec4 } from '../runtime/shape.ts';
import type { Shape, Tensor } from '../runtime/tensor.ts';

/**
 * tf-path (inference only, fused): the TF-fusion paths relu(conv2d(x_d) + b) of both directions (BatchNorm folded
 * into the conv), consumed without being written: `squeeze` gives the SE squeeze's sums per time row, `collapse` the
 * SE-gated 1×1 conv of the paths, its ReLU and the skip concatenation with x_d. See FusedInferenceKernels.tfPath.
 */
function expectInputs(op: string, [x, w, b]: readonly Shape[], { kernels }: TfPathAttrs): { batch: number; time: number; freq: number; chans: number } {
  expectRank(op, 'x', x!, 3);
  expectRank(op, 'b', b!, 3);
  expectDim(op, 'b', b!, 0, 2, 'directions');
  expectDim(op, 'b', b!, 1, kernels.length, 'paths');
  const chans = b![2]!;
  expectShape(op, 'w', w!, [2, kernels.reduce((sum, [kh, kw]) => sum + kh * kw, 0), paddedToVec4(chans)]);
  return { batch: x![0]!, time: x![1]!, freq: x![2]!, chans };
}

/** x (B, T, F), w packed (2, Σ_p KH_p·KW_p, 4⌈C/4⌉), b (2, P, C) → (2B, ⌈T/TF_PATH_SPAN⌉, ⌈F/TF_PATH_SPAN⌉, C). */
export const tfPathSqueezeOp: OpDef<TfPathAttrs, FusedInferenceBackend> = {
  name: 'tf-path',
  shape: (inputs, attrs) => {
    const { batch, time, freq, chans } = expectInputs('tf-path.squeeze', inputs, attrs);
    return [2 * batch, Math.ceil(time / TF_PATH_SPAN), Math.ceil(freq / TF_PATH_SPAN), chans];
  },
  forward: (k, [x, w, b], a) => ({ out: k.tfPath.squeeze(x!, w!, b!, a) }),
};

/** x, w, b as squeezeOp, gate (2B, C), gateBias (2) → (2B, T, (P+1)·F). */
export const tfPathCollapseOp: OpDef<TfPathAttrs, FusedInferenceBackend> = {
  name: 'tf-path',
  shape: (inputs, attrs) => {
    const op = 'tf-path.collapse';
    const { batch, time, freq, chans } = expectInputs(op, inputs, attrs);
    expectShape(op, 'gate', inputs[3]!, [2 * batch, chans]);
    expectShape(op, 'gateBias', inputs[4]!, [2]);
    return [2 * batch, time, (attrs.kernels.length + 1) * freq];
  },
  forward: (k, [x, w, b, gate, gateBias], a) => ({ out: k.tfPath.collapse(x!, w!, b!, gate!, gateBias!, a) }),
};

export function tfPathSqueeze(graph: Graph<FusedInferenceBackend>, x: Tensor, w: Tensor, b: Tensor, attrs: TfPathAttrs): Tensor {
  return graph.apply(tfPathSqueezeOp, [x, w, b], attrs).out;
}

export function tfPathCollapse(graph: Graph<FusedInferenceBackend>, x: Tensor, w: Tensor, b: Tensor, gate: Tensor, gateBias: Tensor, attrs: TfPathAttrs): Tensor {
  return graph.apply(tfPathCollapseOp, [x, w, b, gate, gateBias], attrs).out;
}
