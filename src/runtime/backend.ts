import type { Shape, Tensor } from './tensor.ts';

/**
 * The kernel interface every backend implements, in two parts: `InferenceKernels` (every forward entry and BatchNorm
 * with running statistics: all a model needs to classify) and `TrainingKernels` (backward entries, training
 * BatchNorm, dropout masks, Adam). A backend may implement inference alone (`InferenceBackend`); `Backend` is both.
 * One entry per op family (camelCase of the family's kebab-case file name), each a set of synchronous kernels. A
 * kernel takes backend-owned tensors plus a small attrs object of plain numbers (on WebGPU these become the shader's
 * `Params` uniform) and returns new backend-owned tensors; on WebGPU a call only encodes a dispatch. Shapes are read
 * from the tensors; attrs carry only what shapes cannot say. Kernels trust their op's shape contract
 * (src/ops/<family>.ts checks it first).
 *
 * Layouts are fixed and channels-last, as in the golden fixtures: activations (B, T, C) and (B, T, F, C);
 * Conv2D weights [out, in, kh, kw], Conv1D [out, in, k], Dense [out, in].
 */
export interface InferenceKernels {
  /** Elementwise a + b (same shapes). Also how the tape sums gradients of a tensor used twice. */
  add: { forward(a: Tensor, b: Tensor): Tensor };

  /** y = scale · Σ over axes [axis, axis + count) of x; the output drops those axes. Mean = scale 1/M. */
  reduceSum: { forward(x: Tensor, attrs: ReduceAttrs): Tensor };

  /** y = max(x, 0). */
  relu: { forward(x: Tensor): Tensor };

  /** y = 1 / (1 + exp(−x)). */
  sigmoid: { forward(x: Tensor): Tensor };

  /** y = a · b, with b of a's shape or (B, C) broadcast over a (B, …, C)'s middle axes (the SE channel gate). */
  mul: { forward(a: Tensor, b: Tensor): Tensor };

  /** Concatenation along `axis` (other axes equal). */
  concat: { forward(parts: readonly Tensor[], attrs: { readonly axis: number }): Tensor };

  /** y[b, t, …] = x[b, T − 1 − t, …]; its own backward. */
  reverseTime: { forward(x: Tensor): Tensor };

  /**
   * Pointwise linear map over the last axis, any leading axes: y[…, o] = b[o] + Σ_i w[o, i] · x[…, i].
   * w is read as (Out, In) = (w.shape[0], rest): Dense [out, in], Conv1D k = 1 [out, in, 1] and the 1×1 Conv2D
   * [out, in, 1, 1] are the same numbers. forwardPerSample is the one-output case with a weight row per sample (the
   * SE-gated 1×1 conv, whose weights times the gate differ per sample): x (B, …, In), w (B, In), b (1) →
   * y (B, …, 1), y[n, …] = b[0] + Σ_i w[n, i] · x[n, …, i].
   */
  dense: {
    forward(x: Tensor, w: Tensor, b: Tensor): Tensor;
    forwardPerSample(x: Tensor, w: Tensor, b: Tensor): Tensor;
  };

  /**
   * Conv2D from one input channel, TF 'same' zero padding: x (B, T, F), w (C, 1, KH, KW), b (C) → y (B, T, F, C),
   * y[b,t,f,c] = b[c] + Σ_{i,j} w[c,0,i,j] · x[b, t + i − ⌊(KH−1)/2⌋, f + j − ⌊(KW−1)/2⌋].
   */
  conv2d: { forward(x: Tensor, w: Tensor, b: Tensor, attrs: Conv2dAttrs): Tensor };

  /**
   * Causal dilated Conv1D: x (B, T, Cin), w (Cout, Cin, K), b (Cout) → y (B, T, Cout),
   * y[b,t,o] = b[o] + Σ_{i,k} w[o,i,k] · x[b, t − (K−1−k)·dilation, i], x = 0 before t = 0. Tap 0 is the oldest.
   * K = attrs.taps.
   */
  conv1dCausal: { forward(x: Tensor, w: Tensor, b: Tensor, attrs: Conv1dAttrs): Tensor };

  /**
   * BatchNorm over every axis but the last (channels-last) with given statistics (the running ones at inference):
   * y = γ (x − mean) / sqrt(var + eps) + β.
   */
  batchNorm: {
    forwardInference(x: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVar: Tensor, attrs: EpsAttrs): Tensor;
  };

  /** Learned weighted sum of the n pooled vectors: g (B, n, C), w (n) → z[b, c] = Σ_j w[j] · g[b, j, c]. */
  weightedSum: { forward(g: Tensor, w: Tensor): Tensor };
}

/**
 * The fused inference kernels (STYLE.md §9 "Fused ops"): optional, a backend that has them runs the fused forward
 * (src/model/msse-fused.ts) on BatchNorm-folded parameters (src/model/fold-batch-norm.ts). Both directions share
 * every dispatch: activations are direction-stacked (2B, …), sample n = d·B + b of direction d (0 fwd, 1 bwd, whose
 * input is x reversed in time), and weights are (2, …), direction d's own at index d. Each family is the composition
 * of unfused kernels it replaces; the reference backend computes it that way, which is the check.
 */
export interface FusedInferenceKernels {
  /**
   * The TF-fusion block with its squeeze-and-excitation, the paths v_p = relu(conv2d(x_d, w[d,p]) + b[d,p])
   * (BatchNorm folded) never written out. x (B, T, F); w packed (2, Σ_p KH_p·KW_p, 4⌈C/4⌉): row r is one tap (path
   * 0's KH·KW taps row-major, then path 1's, …), w[d, r, c] = that path's conv weight [c, 0, i, j] of direction d,
   * zero for c ≥ C; b (2, P, C); se (SeGateWeights). forward → cat (2B, T, (P+1)·F):
   *   s[n,c]         = mean over p, t, f of v_p[n,t,f,c]                              (SE squeeze)
   *   gate[n,o]      = w1x1[d,o] · sigmoid(fc2(relu(fc1(s[n]))))[o]                   (SE gate ⊙ 1×1 conv weight)
   *   cat[n,t,p·F+f] = relu(gateBias[d] + Σ_c gate[n,c] · v_p[n,t,f,c]), cat[n,t,P·F+f] = x_d[b,t,f]
   * (the 1×1 conv of the SE-scaled paths, its ReLU, and the concatenation with the branch's input).
   */
  tfPath: { forward(x: Tensor, w: Tensor, b: Tensor, se: SeGateWeights, attrs: TfPathAttrs): Tensor };

  /**
   * Dense with each direction's weights: x (2B, …, In), w packed (2, In, 4⌈Out/4⌉) (w[d, i, o] = direction d's
   * weight [o, i], zero past Out), b (2, Out) → (2B, …, Out).
   */
  directionDense: { forward(x: Tensor, w: Tensor, b: Tensor): Tensor };

  /**
   * One TAB (BatchNorm folded into both causal convs): first(h, w1, b1) → a = relu(conv1dCausal(h) + b1);
   * second(a, w2, b2, h, stack) → out = h · sigmoid(relu(conv1dCausal(a) + b2)), also written (in place) into
   * stack[attrs.block] (blocks, 2B, T, C); pool(stack, wsum) → z (B, C) = Σ_j wsum[j] · mean_t(stack[j, b] +
   * stack[j, B + b]). Weights packed (2, K, Cin, 4⌈Cout/4⌉): w[d, k, i, o] = conv weight [o, i, k] of direction d,
   * zero past Cout (a vec4 load gives 4 output channels); biases (2, C). stack(h, { blocks }) allocates the (blocks, 2B, T, C)
   * tensor the `second` calls fill, one block each; its values are undefined until then (no dispatch).
   */
  tabInference: {
    stack(h: Tensor, attrs: { readonly blocks: number }): Tensor;
    first(h: Tensor, w: Tensor, b: Tensor, attrs: Conv1dAttrs): Tensor;
    second(a: Tensor, w: Tensor, b: Tensor, h: Tensor, stack: Tensor, attrs: Conv1dAttrs & { readonly block: number }): Tensor;
    pool(stack: Tensor, wsum: Tensor): Tensor;
  };
}

/** The SE block's weights in the fused form: fc1w, fc2w (2, C, C) as Dense [out, in], fc1b, fc2b, w1x1 (2, C), gateBias (2). */
export interface SeGateWeights {
  readonly fc1w: Tensor;
  readonly fc1b: Tensor;
  readonly fc2w: Tensor;
  readonly fc2b: Tensor;
  readonly w1x1: Tensor;
  readonly gateBias: Tensor;
}

/** The TF-fusion kernels (KH, KW) of each path, in path order (the config's tfKernels). */
export interface TfPathAttrs {
  readonly kernels: readonly (readonly [number, number])[];
}

/** The kernels training adds to inference's: the backward entries, training BatchNorm, dropout, the loss, Adam. */
export interface TrainingKernels {
  /**
   * backward broadcasts dy back to `like`'s shape times scale (`like` supplies the shape only; its values are not
   * read); given `addend` (like's shape) it returns addend + that broadcast in the same pass: how the tape sums the
   * gradient of a tensor that is also used elsewhere (each TF path feeds the SE squeeze and the 1×1 conv) without
   * writing the broadcast. Bias gradients are forward with every axis but the last reduced, scale 1.
   */
  reduceSum: { backward(dy: Tensor, like: Tensor, attrs: ReduceAttrs, addend?: Tensor): Tensor };

  /** dx = dy where y > 0, else 0. */
  relu: { backward(dy: Tensor, y: Tensor): Tensor };

  /** dx = dy · y · (1 − y). */
  sigmoid: { backward(dy: Tensor, y: Tensor): Tensor };

  /** da = forward(dy, b); backwardB gives db in b's shape (summed over the broadcast axes). */
  mul: { backwardB(dy: Tensor, a: Tensor, b: Tensor): Tensor };

  /**
   * Spatial dropout on x (B, …, C): one keep/drop per (sample, channel), keep ⇔
   * counterHash(seed, stream, step, b, c) < keepBelow (src/runtime/random.ts), kept values times scale = 1/(1 − rate).
   * The backward pass is the same kernel applied to dy (same mask, same scale).
   * reluForward is forward(relu(x)) in one pass (the BN → ReLU → dropout tail of every layer); its backward
   * reluBackward needs only its output y: y > 0 exactly where the channel was kept and x > 0, so
   * dx = dy · scale where y > 0, else 0 (the same numbers as the dropout and relu backward passes in turn).
   */
  spatialDropout: {
    forward(x: Tensor, attrs: DropoutAttrs): Tensor;
    reluForward(x: Tensor, attrs: DropoutAttrs): Tensor;
    reluBackward(dy: Tensor, y: Tensor, attrs: DropoutAttrs): Tensor;
  };

  /** concat's backward: `width` entries from `start` on `axis`. */
  concat: { slice(x: Tensor, attrs: SliceAttrs): Tensor };

  /**
   * dense's backward: backwardWeight returns dw as (Out, In), summed over every leading axis (the op views it in
   * the weight's shape); the bias gradient is reduceSum. backwardWeightPerSample gives dw in w's shape (B, In),
   * summed over each sample's rows (w supplies the shape only).
   */
  dense: {
    backwardInput(dy: Tensor, w: Tensor): Tensor;
    backwardWeight(dy: Tensor, x: Tensor): Tensor;
    backwardInputPerSample(dy: Tensor, w: Tensor): Tensor;
    backwardWeightPerSample(dy: Tensor, x: Tensor, w: Tensor): Tensor;
  };

  conv2d: {
    backwardInput(dy: Tensor, w: Tensor, attrs: Conv2dAttrs): Tensor;
    backwardWeight(dy: Tensor, x: Tensor, attrs: Conv2dAttrs): Tensor;
  };

  conv1dCausal: {
    backwardInput(dy: Tensor, w: Tensor, attrs: Conv1dAttrs): Tensor;
    backwardWeight(dy: Tensor, x: Tensor, attrs: Conv1dAttrs): Tensor;
  };

  /**
   * Training BatchNorm. forwardTrain: batch mean μ and biased variance σ² (two-pass), y = γ (x − μ) / sqrt(σ² + eps)
   * + β; with `tail`, y = spatialDropout.reluForward(that, tail) instead, in the same pass where the backend can
   * (the layers' BN → ReLU → dropout; its backward is spatialDropout.reluBackward, then backward).
   * backward: dx, dγ, dβ of forwardTrain without tail.
   * updateRunning (in place): r_mean = m·r_mean + (1−m)·μ, r_var = m·r_var + (1−m)·σ²·varianceScale.
   */
  batchNorm: {
    forwardTrain(
      x: Tensor,
      gamma: Tensor,
      beta: Tensor,
      attrs: EpsAttrs,
      tail?: DropoutAttrs,
    ): { y: Tensor; mean: Tensor; variance: Tensor };
    backward(
      dy: Tensor,
      x: Tensor,
      gamma: Tensor,
      mean: Tensor,
      variance: Tensor,
      attrs: EpsAttrs,
    ): { dx: Tensor; dgamma: Tensor; dbeta: Tensor };
    updateRunning(runningMean: Tensor, runningVar: Tensor, mean: Tensor, variance: Tensor, attrs: RunningAttrs): void;
  };

  weightedSum: {
    backwardInput(dz: Tensor, w: Tensor): Tensor;
    backwardWeight(dz: Tensor, g: Tensor): Tensor;
  };

  /**
   * Softmax + cross-entropy against a (smoothed) target distribution, mean over the batch:
   * loss = mean_b(−Σ_c target[b,c] · log_softmax(logits)[b,c]) (shape [1]), probs = softmax(logits);
   * backward: dlogits = dloss · (probs − target) / B (each target row sums to 1).
   */
  softmaxCrossEntropy: {
    forward(logits: Tensor, target: Tensor): { loss: Tensor; probs: Tensor };
    backward(dloss: Tensor, probs: Tensor, target: Tensor): Tensor;
  };

  /**
   * One Adam step in place, Keras form: m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g²,
   * p −= stepSize · m / (sqrt(v) + eps), with stepSize = lr·sqrt(1−β2^t)/(1−β1^t) computed once on the host.
   */
  adam: { step(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, attrs: AdamAttrs): void };
}

export interface ReduceAttrs {
  /** First reduced axis. */
  readonly axis: number;
  /** Number of consecutive reduced axes. */
  readonly count: number;
  readonly scale: number;
}
export interface SliceAttrs {
  readonly axis: number;
  readonly start: number;
  readonly width: number;
}
export interface DropoutAttrs {
  /** u32 run seed. */
  readonly seed: number;
  /** u32 id of the dropout layer, so layers in one step draw different masks. */
  readonly stream: number;
  /** u32 training step. */
  readonly step: number;
  /** Keep when the u32 hash is below this: round((1 − rate) · 2^32), at most 2^32 − 1. */
  readonly keepBelow: number;
  /** 1 / (1 − rate). */
  readonly scale: number;
}
/** Kernel size (the weight's last two axes): backwardWeight cannot read it from dy and x. */
export interface Conv2dAttrs {
  readonly kh: number;
  readonly kw: number;
}
export interface Conv1dAttrs {
  /** K, the weight's last axis. */
  readonly taps: number;
  readonly dilation: number;
}
export interface EpsAttrs {
  readonly eps: number;
}
export interface RunningAttrs {
  readonly momentum: number;
  /** N/(N−1) for Keras's unbiased (fused, 4-D) running variance, 1 for the biased (3-D) one. */
  readonly varianceScale: number;
}
export interface AdamAttrs {
  readonly stepSize: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

/** The names of the kernel families; each has src/ops/<kebab-name>.ts and src/backends/<backend>/<kebab-name>.ts. */
export type KernelFamily = keyof InferenceKernels | keyof TrainingKernels;

/** One family's kernels from one part of the interface (none when that part does not have the family). */
type PartOf<K, F extends PropertyKey> = F extends keyof K ? K[F] : unknown;

/** Every kernel of every family: a family's inference kernels and its training kernels together. */
export type Kernels = { readonly [F in KernelFamily]: PartOf<InferenceKernels, F> & PartOf<TrainingKernels, F> };

export interface UploadOptions {
  /** Free the tensor at the next `releaseTransients` (default: keep until `dispose`). */
  readonly transient?: boolean;
}

/** Where tensors cross between the CPU and a backend. */
export interface BackendIO {
  /** 'reference', 'webgpu' or 'wasm'. */
  readonly name: string;
  /**
   * A new backend tensor holding `values` (C order, `shape`'s size). It lives until `dispose`, or, with
   * `transient`, until the next `releaseTransients` like a kernel output (per-step inputs: a batch, its targets).
   */
  upload(values: ArrayLike<number>, shape: Shape, name?: string, options?: UploadOptions): Tensor;
  /** Frees a tensor made by `upload` (not transient) at once. A no-op where memory is garbage-collected. */
  dispose(tensor: Tensor): void;
  /**
   * Frees a kernel output (or transient upload) before the step ends, views included: work recorded so far still
   * reads it, nothing recorded later may. No effect on persistent tensors or on one already freed; a no-op where
   * memory is garbage-collected.
   */
  release(tensor: Tensor): void;
  /** The tensor's values on the CPU (Float64Array on the reference backend, Float32Array on WebGPU). */
  read(tensor: Tensor): Promise<Float32Array | Float64Array>;
  /**
   * Ends a step: frees every kernel output made since the last call (uploaded tensors stay). Tensors from before
   * are invalid afterwards. A no-op where memory is garbage-collected (reference).
   */
  releaseTransients(): void;
}

/** A backend that runs models only: the inference kernels (a backend missing one does not compile) plus upload/read. */
export type InferenceBackend = { readonly [F in keyof InferenceKernels]: InferenceKernels[F] } & BackendIO;

/** An inference backend with the fused kernels: what the fused forward runs on. */
export type FusedInferenceBackend = InferenceBackend & FusedInferenceKernels;

/** Whether `backend` implements the fused inference kernels (webgpu, wasm and reference do; any other InferenceBackend runs unfused). */
export function hasFusedKernels<B extends InferenceBackend>(backend: B): backend is B & FusedInferenceKernels {
  const fused = backend as Partial<FusedInferenceKernels>;
  return fused.tfPath !== undefined && fused.directionDense !== undefined && fused.tabInference !== undefined;
}

/** A backend that also trains: every kernel of both parts plus upload/read. */
export type Backend = Kernels & BackendIO;

/**
 * A full backend from its two parts, family by family: how a backend that implements both keeps each family's
 * inference kernels apart from its training kernels (so a bundle that only runs models leaves the latter out).
 */
export function withTraining<I extends InferenceBackend>(inference: I, training: TrainingKernels): Backend & Omit<I, keyof Backend> {
  const merged: Record<string, unknown> = { ...(inference as object) };
  for (const [family, kernels] of Object.entries(training)) merged[family] = { ...(merged[family] as object | undefined), ...kernels };
  return merged as unknown as Backend & Omit<I, keyof Backend>;
}
