/**
 * BatchNorm folded into the convolution before it, for inference. At inference BatchNorm uses its running
 * statistics, so conv → BN is one affine map per output channel o and collapses into one conv:
 *
 *   s[o]  = γ[o] / sqrt(running_var[o] + eps)
 *   w'[o] = w[o] · s[o]                          (every weight of output channel o: axis 0 of the golden layout)
 *   b'[o] = (b[o] − running_mean[o]) · s[o] + β[o]
 *
 * computed in float64 from whatever precision the model holds (float32 files, float64 checkpoints). MS-SENet has
 * two such pairs per layer type: each TF-fusion path's Conv2D → BN (`fwd.tf.path1.conv` → `fwd.tf.path1.bn`) and
 * each TAB's causal Conv1D → BN, twice (`fwd.tab3.conv2` → `fwd.tab3.bn2`); Keras eps is config.bnEps (1e-3).
 *
 * Names. The model file keeps the golden names; folding happens at load. A folded pair is stored under its conv's
 * name plus `.folded` (`fwd.tab3.conv2.folded.weight`, `fwd.tab3.conv2.folded.bias`), in the conv's own shape, so a
 * folded tensor is never mistaken for the trained one. The result also carries every parameter that no BatchNorm
 * touches (SE, 1×1 conv, conv_in, head) under its golden name, unchanged: the complete parameter set of an
 * inference forward without BatchNorm. Golden conv and BN tensors of folded pairs are not in it.
 */
import { invariant } from '../errors.ts';
import { expectShape } from '../runtime/shape.ts';
import { numElements, type Shape } from '../runtime/tensor.ts';
import type { MsseConfig } from './config.ts';
import { DIRECTIONS, paramSpecs } from './params.ts';

/** A tensor on the host in C order, as read from a model file (Float32Array) or a float64 store. */
export interface HostValues {
  readonly shape: Shape;
  readonly data: ArrayLike<number>;
}

/** A folded (or passed-through) parameter: float64, C order. */
export interface FoldedTensor {
  readonly shape: Shape;
  readonly data: Float64Array;
}

/** One convolution followed by BatchNorm, by golden name prefix, and the prefix of its folded tensors. */
export interface ConvBatchNorm {
  /** `fwd.tab3.conv2`: `.weight` and `.bias` are parameters. */
  readonly conv: string;
  /** `fwd.tab3.bn2`: `.gamma`, `.beta` parameters, `.running_mean`, `.running_var` buffers. */
  readonly bn: string;
  /** `fwd.tab3.conv2.folded`: `.weight` and `.bias` in the result of foldBatchNorm. */
  readonly folded: string;
}

/** Every conv → BN pair of an MS-SENet with `config`, in the golden parameter order (fwd, then bwd). */
export function convBatchNormPairs(config: MsseConfig): ConvBatchNorm[] {
  const pair = (conv: string, bn: string): ConvBatchNorm => ({ conv, bn, folded: `${conv}.folded` });
  return DIRECTIONS.flatMap((d) => [
    ...config.tfKernels.map((_, p) => pair(`${d}.tf.path${p + 1}.conv`, `${d}.tf.path${p + 1}.bn`)),
    ...Array.from({ length: config.numDilations }, (_, j) => [1, 2].map((k) => pair(`${d}.tab${j}.conv${k}`, `${d}.tab${j}.bn${k}`))).flat(),
  ]);
}

/**
 * Folds one BatchNorm (running statistics, `eps`) into the conv before it. `weight` is (Cout, …) with output
 * channels on axis 0 (Conv2D (C, 1, KH, KW), Conv1D (Cout, Cin, K)); the rest are (Cout).
 * @throws ShapeError when a bias or BatchNorm vector is not (Cout)
 */
export function foldConvBatchNorm(
  conv: { readonly weight: HostValues; readonly bias: HostValues },
  bn: { readonly gamma: HostValues; readonly beta: HostValues; readonly runningMean: HostValues; readonly runningVar: HostValues },
  eps: number,
): { weight: FoldedTensor; bias: FoldedTensor } {
  const chans = conv.weight.shape[0]!;
  const perChannel = numElements(conv.weight.shape) / chans;
  const vectors = { bias: conv.bias, gamma: bn.gamma, beta: bn.beta, runningMean: bn.runningMean, runningVar: bn.runningVar };
  for (const [name, t] of Object.entries(vectors)) expectShape('fold-batch-norm', name, t.shape, [chans]);
  const weight = new Float64Array(chans * perChannel);
  const bias = new Float64Array(chans);
  for (let o = 0; o < chans; o++) {
    const scale = bn.gamma.data[o]! / Math.sqrt(bn.runningVar.data[o]! + eps);
    for (let r = 0; r < perChannel; r++) weight[o * perChannel + r] = conv.weight.data[o * perChannel + r]! * scale;
    bias[o] = (conv.bias.data[o]! - bn.runningMean.data[o]!) * scale + bn.beta.data[o]!;
  }
  return { weight: { shape: conv.weight.shape, data: weight }, bias: { shape: [chans], data: bias } };
}

/**
 * The inference parameters of a model: every conv → BN pair folded (under `<conv>.folded.weight|bias`), every other
 * parameter copied to float64 under its golden name (see the module comment). `state` must hold the tensors
 * paramSpecs and bufferSpecs name with their shapes (checkModelTensors, uploadStore), as a checked model file does.
 */
export function foldBatchNorm(
  config: MsseConfig,
  state: { readonly parameters: ReadonlyMap<string, HostValues>; readonly buffers: ReadonlyMap<string, HostValues> },
): Map<string, FoldedTensor> {
  const get = (tensors: ReadonlyMap<string, HostValues>, name: string): HostValues => {
    const t = tensors.get(name);
    invariant(t !== undefined, `fold-batch-norm: no tensor "${name}"; the model's tensors were not checked`);
    return t;
  };
  const out = new Map<string, FoldedTensor>();
  const folded = new Set<string>();
  for (const { conv, bn, folded: name } of convBatchNormPairs(config)) {
    const { weight, bias } = foldConvBatchNorm(
      { weight: get(state.parameters, `${conv}.weight`), bias: get(state.parameters, `${conv}.bias`) },
      {
        gamma: get(state.parameters, `${bn}.gamma`),
        beta: get(state.parameters, `${bn}.beta`),
        runningMean: get(state.buffers, `${bn}.running_mean`),
        runningVar: get(state.buffers, `${bn}.running_var`),
      },
      config.bnEps,
    );
    out.set(`${name}.weight`, weight);
    out.set(`${name}.bias`, bias);
    for (const n of [`${conv}.weight`, `${conv}.bias`, `${bn}.gamma`, `${bn}.beta`]) folded.add(n);
  }
  for (const { name } of paramSpecs(config)) {
    if (folded.has(name)) continue;
    const t = get(state.parameters, name);
    out.set(name, { shape: t.shape, data: Float64Array.from(t.data) });
  }
  return out;
}
