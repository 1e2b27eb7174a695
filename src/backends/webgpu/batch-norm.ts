import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import { channelStride, ELEMENTWISE_VECTORS, PARTIAL_VECTORS } from './channel-walk.ts';
import { packParams, type ParamsFields } from './params.ts';
import { sumRuns } from './reduce-sum.ts';
import { normalizedReluDropout, spatialDropoutTraining } from './spatial-dropout.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/batch-norm.wgsl, field for field (test/backends/webgpu/params.test.ts compares). */
export const params = [
  ['rows', 'u32'],
  ['chans', 'u32'],
  ['vectors', 'u32'],
  ['elements', 'u32'],
  ['stride', 'u32'],
  ['eps', 'f32'],
  ['momentum', 'f32'],
  ['complement', 'f32'],
  ['varianceScale', 'f32'],
] as const satisfies ParamsFields;

/** Channels-last: x seen as (rows, chans), and as whole vec4s plus a tail of elements % 4 floats. */
interface Layout {
  readonly rows: number;
  readonly chans: number;
  readonly vectors: number;
  readonly elements: number;
}

function layoutOf(x: Tensor): Layout {
  const chans = x.shape[x.shape.length - 1]!;
  return { rows: x.numElements / chans, chans, vectors: Math.floor(x.numElements / 4), elements: x.numElements };
}

/** True when the tensor ends in elements % 4 floats that the `…Tail` entry points handle. */
function hasTail({ vectors, elements }: Layout): boolean {
  return elements > 4 * vectors;
}

/** Rows of a partial pass's output: 4 · stride / C (a vec4 per invocation), plus the tail row if any. */
function partialRows(dims: Layout): number {
  return (4 * channelStride(dims.vectors, dims.chans, PARTIAL_VECTORS)) / dims.chans + (hasTail(dims) ? 1 : 0);
}

/**
 * Records `entry` over the whole vec4s, `stride` invocations of about `perInvocation` vec4s each, then, if the
 * tensor has a tail, `<entry>Tail`: one invocation per channel for a partial pass, per tail element otherwise.
 */
function run(g: GpuTensors, entry: string, dims: Layout, perInvocation: number, tensors: readonly Tensor[], eps = 0): void {
  const stride = channelStride(dims.vectors, dims.chans, perInvocation);
  const words = packParams(params, { ...dims, stride, eps, momentum: 0, complement: 0, varianceScale: 0 });
  g.run('batch-norm', entry, words, tensors, stride);
  if (!hasTail(dims)) return;
  const partial = perInvocation === PARTIAL_VECTORS;
  g.run('batch-norm', `${entry}Tail`, words, tensors, partial ? dims.chans : dims.elements - 4 * dims.vectors);
}

/** y = γ (x − mean) / sqrt(variance + eps) + β with the given statistics (batch or running). */
function normalize(g: GpuTensors, x: Tensor, mean: Tensor, variance: Tensor, beta: Tensor, gamma: Tensor, eps: number): Tensor {
  const y = g.output(x.shape, 'batch-norm.y');
  run(g, 'normalize', layoutOf(x), ELEMENTWISE_VECTORS, [x, mean, variance, beta, gamma, y], eps);
  return y;
}

/** A partial pass's output: (partialRows, C), per-channel sums over its rows. */
function partials(g: GpuTensors, dims: Layout, label: string): Tensor {
  return g.output([partialRows(dims), dims.chans], label);
}

/** Σ over the rows of (partialRows, C) partials times `scale`, by reduce-sum's tree of passes, as a (C) tensor; frees `part`. */
function finish(g: GpuTensors, part: Tensor, dims: Layout, scale: number, label: string): Tensor {
  const sums = sumRuns(g, part, { outer: 1, reduced: partialRows(dims), inner: dims.chans }, scale, [dims.chans], label);
  g.release(part);
  return sums;
}

/** The batchNorm family of the kernel interface (src/runtime/backend.ts) on GPU tensors: inference. */
export function batchNormInference(g: GpuTensors): InferenceKernels['batchNorm'] {
  return {
    forwardInference(x, gamma, beta, runningMean, runningVar, { eps }) {
      return normalize(g, x, runningMean, runningVar, beta, gamma, eps);
    },
  };
}

/** Training: batch statistics, backward and the running update. */
export function batchNormTraining(g: GpuTensors): TrainingKernels['batchNorm'] {
  const dropout = spatialDropoutTraining(g);
  return {
    // Two passes for σ²: the mean first, then squared deviations from it (no E[x²] − μ² cancellation).
    // A dropout tail runs in the normalizing pass (spatial-dropout.wgsl normalizedVec4) where x's slabs allow.
    forwardTrain(x, gamma, beta, { eps }, tail) {
      const dims = layoutOf(x);
      const sums = partials(g, dims, 'batch-norm.sums');
      run(g, 'partialSums', dims, PARTIAL_VECTORS, [x, sums]);
      const mean = finish(g, sums, dims, 1 / dims.rows, 'batch-norm.mean');
      const squares = partials(g, dims, 'batch-norm.squares');
      run(g, 'partialSquares', dims, PARTIAL_VECTORS, [x, mean, squares]);
      const variance = finish(g, squares, dims, 1 / dims.rows, 'batch-norm.variance');
      if (tail === undefined) return { y: normalize(g, x, mean, variance, beta, gamma, eps), mean, variance };
      const fused = normalizedReluDropout(g, x, { mean, variance, beta, gamma, eps }, tail);
      if (fused !== undefined) return { y: fused, mean, variance };
      const normalized = normalize(g, x, mean, variance, beta, gamma, eps);
      const y = dropout.reluForward(normalized, tail);
      g.release(normalized);
      return { y, mean, variance };
    },

    backward(dy, x, gamma, mean, variance, { eps }) {
      const dims = layoutOf(x);
      const dyPart = partials(g, dims, 'batch-norm.dyPartials');
      const dyXhatPart = partials(g, dims, 'batch-norm.dyXhatPartials');
      run(g, 'partialGradients', dims, PARTIAL_VECTORS, [x, mean, variance, dy, dyPart, dyXhatPart], eps);
      const dbeta = finish(g, dyPart, dims, 1, 'batch-norm.dbeta');
      const dgamma = finish(g, dyXhatPart, dims, 1, 'batch-norm.dgamma');
      const dx = g.output(x.shape, 'batch-norm.dx');
      run(g, 'backwardInput', dims, ELEMENTWISE_VECTORS, [x, mean, variance, dy, gamma, dgamma, dbeta, dx], eps);
      return { dx, dgamma, dbeta };
    },

    // One invocation per channel: updateRunning reads only chans and the momentum fields.
    updateRunning(runningMean, runningVar, mean, variance, { momentum, varianceScale }) {
      const chans = mean.numElements;
      const values = { rows: 1, chans, vectors: 0, elements: chans, stride: 0, eps: 0, momentum, complement: 1 - momentum, varianceScale };
      g.run('batch-norm', 'updateRunning', packParams(params, values), [mean, variance, runningMean, runningVar], chans);
    },
  };
}
