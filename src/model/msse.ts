import { ShapeError } from '../errors.ts';
import { add } from '../ops/add.ts';
import { batchNorm, batchNormTraining } from '../ops/batch-norm.ts';
import { concat } from '../ops/concat.ts';
import { conv1dCausal } from '../ops/conv1d-causal.ts';
import { conv2d } from '../ops/conv2d.ts';
import { dense, perSampleDense } from '../ops/dense.ts';
import { mul } from '../ops/mul.ts';
import { mean, scaledSum } from '../ops/reduce-sum.ts';
import { relu } from '../ops/relu.ts';
import { reshape } from '../ops/reshape.ts';
import { reverseTime } from '../ops/reverse-time.ts';
import { sigmoid } from '../ops/sigmoid.ts';
import { smoothedTargets, softmaxCrossEntropy } from '../ops/softmax-cross-entropy.ts';
import { weightedSum } from '../ops/weighted-sum.ts';
import type { ParamStore } from '../runtime/params.ts';
import type { Graph, TrainingGraph } from '../runtime/graph.ts';
import { formatShape, type Tensor } from '../runtime/tensor.ts';
import { dilationOf, type MsseConfig } from './config.ts';
import { DIRECTIONS, type Direction } from './params.ts';

export interface ForwardOptions {
  /**
   * BatchNorm on batch statistics with a running update (true: needs a TrainingGraph, the Tape), or on the
   * running statistics (false).
   */
  readonly training: boolean;
  /** Dropout masks for this step (training only); absent = dropout off (inference, and the golden fixtures). */
  readonly dropout?: { readonly seed: number; readonly step: number };
  /** Also build the (B, T, 3F, C) `tf` and `se` sites by concatenating the paths (golden checks, dumps). */
  readonly concatenatedSites?: boolean;
}

export interface MsseOutput {
  /** (B, classes), pre-softmax. */
  readonly logits: Tensor;
  /**
   * Intermediate activations by golden site (`fwd.tf`, `fwd.se.excite`, …, `bwd.tab2`, `head.pooled`, `head.z`;
   * `act.<site>` in a fixture). bwd sites are in the bwd branch's own, reversed, time order.
   */
  readonly activations: Map<string, Tensor>;
}

/** What every layer function needs: the graph, the model and a counter that gives each dropout layer its stream. */
class Ctx {
  private nextStream = 0;
  readonly activations = new Map<string, Tensor>();

  constructor(
    readonly graph: Graph,
    readonly config: MsseConfig,
    readonly params: ParamStore,
    readonly options: ForwardOptions,
  ) {}

  p(name: string): Tensor {
    return this.params.param(name);
  }

  keep(site: string, t: Tensor): Tensor {
    t.name ??= `act.${site}`;
    this.activations.set(site, t);
    return t;
  }

  /**
   * Records the concatenation of `parts()` as activation `site`, only when the caller asked for the concatenated
   * sites (golden checks, dumps): the network itself never materialises them (see tfFusion, gatedConv1x1).
   */
  keepConcat(site: string, parts: () => readonly Tensor[], axis: number): void {
    if (this.options.concatenatedSites === true) this.keep(site, concat(this.graph, parts(), axis));
  }

  /**
   * BatchNorm `name` (…bn, …bn1: params `name.gamma/beta`, buffers `name.running_mean/var`), ReLU, then spatial
   * dropout when this step has dropout on, as one op in training. Dropout layers are numbered in call order, which
   * is fixed.
   */
  batchNormReluDropout(name: string, x: Tensor, runningVariance: 'unbiased' | 'biased', rate: number): Tensor {
    const state = {
      gamma: this.p(`${name}.gamma`),
      beta: this.p(`${name}.beta`),
      runningMean: this.params.buffer(`${name}.running_mean`),
      runningVar: this.params.buffer(`${name}.running_var`),
    };
    const { training, dropout: d } = this.options;
    const { bnEps: eps, bnMomentum: momentum } = this.config;
    if (!training) return relu(this.graph, batchNorm(this.graph, x, state, eps));
    const stream = this.nextStream++;
    const tail = d === undefined ? { rate: 0, seed: 0, stream, step: 0 } : { rate, seed: d.seed, stream, step: d.step };
    // msseForward's overloads let training mode in only with a TrainingGraph.
    return batchNormTraining(this.graph as TrainingGraph, x, state, { eps, momentum, runningVariance }, tail);
  }
}

/**
 * Three Conv2D → BN → ReLU → SpatialDropout2D paths over the (T × F) image, each (B, T, F, C). The paper
 * concatenates them along F into (B, T, 3F, C); every op up to the 1×1 conv acts on the paths independently, so
 * they stay apart: at batch 64 the concatenated tensor is 224 MiB, above the 128 MiB storage-binding limit of many
 * WebGPU adapters (llvmpipe among them), while one path is 73 MiB. Same numbers, same parameters.
 */
function tfFusion(ctx: Ctx, d: Direction, x: Tensor): Tensor[] {
  const paths = ctx.config.tfKernels.map((_, p) => {
    const name = `${d}.tf.path${p + 1}`;
    const y = conv2d(ctx.graph, x, ctx.p(`${name}.conv.weight`), ctx.p(`${name}.conv.bias`));
    // Keras 2.x: 4-D BatchNorm takes the fused kernel, whose running variance is the unbiased one.
    return ctx.batchNormReluDropout(`${name}.bn`, y, 'unbiased', ctx.config.dropout2d);
  });
  ctx.keepConcat(`${d}.tf`, () => paths, 2);
  return paths;
}

/**
 * Squeeze-and-excitation's gate (B, C) = sigmoid(fc2(relu(fc1(mean over T and 3F)))), which scales each path per
 * channel. The mean over (T, 3F) is the sum of the paths' sums over (T, F) divided by T·3F.
 */
function squeezeExcite(ctx: Ctx, d: Direction, paths: readonly Tensor[]): Tensor {
  const t = ctx.graph;
  const [, time, freq] = paths[0]!.shape;
  const scale = 1 / (time! * freq! * paths.length);
  const squeezed = paths.map((p) => scaledSum(t, p, 1, 2, scale)).reduce((a, b) => add(t, a, b));
  const hidden = relu(t, dense(t, squeezed, ctx.p(`${d}.se.fc1.weight`), ctx.p(`${d}.se.fc1.bias`)));
  const gate = ctx.keep(`${d}.se.excite`, sigmoid(t, dense(t, hidden, ctx.p(`${d}.se.fc2.weight`), ctx.p(`${d}.se.fc2.bias`))));
  ctx.keepConcat(`${d}.se`, () => paths.map((p) => mul(t, p, gate)), 2);
  return gate;
}

/**
 * The 1×1 conv (C → 1) of the SE-scaled paths, (B, T, F) each: dense(path ⊙ gate, w) computed as a dense with
 * per-sample weights gate ⊙ w, so the scaled paths (B, T, F, C) are never written.
 */
function gatedConv1x1(ctx: Ctx, d: Direction, paths: readonly Tensor[], gate: Tensor): Tensor[] {
  const t = ctx.graph;
  const [batch, chans] = gate.shape as [number, number];
  const weights = reshape(t, ctx.p(`${d}.conv1x1.weight`), [1, chans]);
  const perSample = reshape(t, mul(t, reshape(t, gate, [1, batch, chans]), weights), [batch, chans]);
  return paths.map((p) => reshape(t, perSampleDense(t, p, perSample, ctx.p(`${d}.conv1x1.bias`)), p.shape.slice(0, 3)));
}

/**
 * Temporal-aware block j (dilation 2^j): two causal dilated Conv1D → BN → ReLU → SpatialDropout1D, then
 * out = in · sigmoid(second). 3-D BatchNorm: Keras's non-fused path, biased running variance.
 */
function tab(ctx: Ctx, d: Direction, j: number, input: Tensor): Tensor {
  const t = ctx.graph;
  let h = input;
  for (const k of [1, 2]) {
    const name = `${d}.tab${j}`;
    const y = conv1dCausal(t, h, ctx.p(`${name}.conv${k}.weight`), ctx.p(`${name}.conv${k}.bias`), dilationOf(j));
    h = ctx.batchNormReluDropout(`${name}.bn${k}`, y, 'biased', ctx.config.dropout1d);
  }
  return ctx.keep(`${d}.tab${j}`, mul(t, input, sigmoid(t, h)));
}

/**
 * One direction: TF-fusion → SE → 1×1 conv + ReLU → concat with the direction's input → Conv1D k = 1 → n TABs.
 * The bwd branch is this same function on the time-reversed input with its own parameters.
 */
function branch(ctx: Ctx, d: Direction, x: Tensor): Tensor[] {
  const t = ctx.graph;
  // The 1×1 conv to one channel, per path, then the paths side by side along F: (B, T, 3F).
  const paths = tfFusion(ctx, d, x);
  const perPath = gatedConv1x1(ctx, d, paths, squeezeExcite(ctx, d, paths));
  const conv1x1 = ctx.keep(`${d}.conv1x1`, relu(t, concat(t, perPath, 2)));
  const cat = ctx.keep(`${d}.cat`, concat(t, [conv1x1, x], 2));
  let h = ctx.keep(`${d}.conv_in`, dense(t, cat, ctx.p(`${d}.conv_in.weight`), ctx.p(`${d}.conv_in.bias`)));
  const outputs: Tensor[] = [];
  for (let j = 0; j < ctx.config.numDilations; j++) outputs.push((h = tab(ctx, d, j, h)));
  return outputs;
}

/**
 * MS-SENet forward pass on x (B, T, F): both directions, then g_j = mean_t(fwd.tabJ + bwd.tabJ) stacked to
 * (B, n, C), z = Σ_j wsum[j] · g_j, logits = dense(z). Runs on whatever backend the graph holds: inference in a
 * ForwardPass; training mode (which also updates the BatchNorm running statistics in `params`) on a Tape.
 */
export function msseForward(graph: TrainingGraph, config: MsseConfig, params: ParamStore, x: Tensor, options: ForwardOptions): MsseOutput;
export function msseForward(graph: Graph, config: MsseConfig, params: ParamStore, x: Tensor, options: ForwardOptions & { readonly training: false }): MsseOutput;
export function msseForward(graph: Graph, config: MsseConfig, params: ParamStore, x: Tensor, options: ForwardOptions): MsseOutput {
  if (x.shape.length !== 3 || x.shape[2] !== config.feat) {
    throw new ShapeError(`msse: input has shape ${formatShape(x.shape)}, expected (B, T, ${config.feat})`);
  }
  const ctx = new Ctx(graph, config, params, options);
  const inputs: Record<Direction, Tensor> = { fwd: x, bwd: reverseTime(graph, x) };
  const [fwd, bwd] = DIRECTIONS.map((d) => branch(ctx, d, inputs[d]));
  const [batch, chans] = [x.shape[0]!, config.filters];
  const pooled = fwd!.map((f, j) => reshape(graph, mean(graph, add(graph, f, bwd![j]!), 1, 1), [batch, 1, chans]));
  const stacked = ctx.keep('head.pooled', concat(graph, pooled, 1));
  const z = ctx.keep('head.z', weightedSum(graph, stacked, ctx.p('head.wsum')));
  const logits = dense(graph, z, ctx.p('head.dense.weight'), ctx.p('head.dense.bias'));
  logits.name = 'logits';
  return { logits, activations: ctx.activations };
}

/**
 * Mean label-smoothed cross-entropy of the logits against integer labels (the smoothing from config).
 * Returns the loss ([1]), the softmax probabilities and the uploaded target (B, classes).
 */
export function msseLoss(
  graph: TrainingGraph,
  config: MsseConfig,
  logits: Tensor,
  labels: ArrayLike<number>,
): { loss: Tensor; probs: Tensor; target: Tensor } {
  const [batch, classes] = [logits.shape[0]!, config.numClasses];
  if (labels.length !== batch) throw new ShapeError(`msse: ${labels.length} labels for a batch of ${batch}`);
  for (let b = 0; b < batch; b++) {
    const label = labels[b]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new ShapeError(`msse: label ${label} at batch index ${b} is not a class index in [0, ${classes})`);
    }
  }
  const target = graph.backend.upload(smoothedTargets(labels, classes, config.labelSmoothing), [batch, classes], 'target', { transient: true });
  return { ...softmaxCrossEntropy(graph, logits, target), target };
}
