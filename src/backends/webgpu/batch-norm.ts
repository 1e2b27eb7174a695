import type { Kernels } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import { packParams, type ParamsFields } from './params.ts';
import { chunkCount, CHUNK_ROWS, STRIP_ROWS, sumRuns } from './reduce-sum.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/batch-norm.wgsl, field for field (test/backends/webgpu/params.test.ts compares). */
export const params = [
  ['rows', 'u32'],
  ['chans', 'u32'],
  ['chunkRows', 'u32'],
  ['chunks', 'u32'],
  ['eps', 'f32'],
  ['momentum', 'f32'],
  ['complement', 'f32'],
  ['varianceScale', 'f32'],
  ['total', 'u32'],
] as const satisfies ParamsFields;

/** Channels-last: x seen as (rows, chans), statistics per channel over the rows. */
interface Rows {
  readonly rows: number;
  readonly chans: number;
}

function rowsOf(x: Tensor): Rows {
  const chans = x.shape[x.shape.length - 1]!;
  return { rows: x.numElements / chans, chans };
}

interface PassAttrs {
  readonly eps?: number;
  readonly momentum?: number;
  readonly varianceScale?: number;
}

/** The batchNorm family of the Backend interface (src/runtime/backend.ts) on GPU tensors. */
export function batchNormKernels(g: GpuTensors): Kernels['batchNorm'] {
  /**
   * Records `entry` with one invocation per channel and chunk of `chunkRows` rows (shaders/batch-norm.wgsl's
   * `strip`); the attrs an entry does not read are packed as 0.
   */
  const run = (entry: string, dims: Rows, chunkRows: number, tensors: readonly Tensor[], attrs: PassAttrs = {}): void => {
    const { eps = 0, momentum = 0, varianceScale = 0 } = attrs;
    const chunks = chunkCount(dims.rows, chunkRows);
    const total = chunks * dims.chans;
    const values = { ...dims, chunkRows, chunks, eps, momentum, complement: 1 - momentum, varianceScale, total };
    g.run('batch-norm', entry, packParams(params, values), tensors, total);
  };

  /** Σ over chunks of (chunks, C) partials times `scale`, by reduce-sum's tree of passes, as a (C) tensor. */
  const finish = (partials: Tensor, dims: Rows, scale: number, label: string): Tensor =>
    sumRuns(g, partials, { outer: 1, reduced: chunkCount(dims.rows), inner: dims.chans }, scale, [dims.chans], label);

  /** y = γ (x − mean) / sqrt(variance + eps) + β with the given statistics (batch or running). */
  const normalize = (x: Tensor, mean: Tensor, variance: Tensor, beta: Tensor, gamma: Tensor, eps: number): Tensor => {
    const y = g.output(x.shape, 'batch-norm.y');
    run('normalize', rowsOf(x), STRIP_ROWS, [x, mean, variance, beta, gamma, y], { eps });
    return y;
  };

  return {
    // Two passes for σ²: the mean first, then squared deviations from it (no E[x²] − μ² cancellation).
    forwardTrain(x, gamma, beta, { eps }) {
      const dims = rowsOf(x);
      const mean = sumRuns(g, x, { outer: 1, reduced: dims.rows, inner: dims.chans }, 1 / dims.rows, [dims.chans], 'batch-norm.mean');
      const squares = g.output([chunkCount(dims.rows), dims.chans], 'batch-norm.squares');
      run('partialSquares', dims, CHUNK_ROWS, [x, mean, squares]);
      const variance = finish(squares, dims, 1 / dims.rows, 'batch-norm.variance');
      return { y: normalize(x, mean, variance, beta, gamma, eps), mean, variance };
    },

    backward(dy, x, gamma, mean, variance, { eps }) {
      const dims = rowsOf(x);
      const dyPart = g.output([chunkCount(dims.rows), dims.chans], 'batch-norm.dyPartials');
      const dyXhatPart = g.output([chunkCount(dims.rows), dims.chans], 'batch-norm.dyXhatPartials');
      run('partialGradients', dims, CHUNK_ROWS, [x, mean, variance, dy, dyPart, dyXhatPart], { eps });
      const dbeta = finish(dyPart, dims, 1, 'batch-norm.dbeta');
      const dgamma = finish(dyXhatPart, dims, 1, 'batch-norm.dgamma');
      const dx = g.output(x.shape, 'batch-norm.dx');
      run('backwardInput', dims, STRIP_ROWS, [x, mean, variance, dy, gamma, dgamma, dbeta, dx], { eps });
      return { dx, dgamma, dbeta };
    },

    forwardInference(x, gamma, beta, runningMean, runningVar, { eps }) {
      return normalize(x, runningMean, runningVar, beta, gamma, eps);
    },

    // One invocation per channel: C channels seen as one row (N is already in varianceScale).
    updateRunning(runningMean, runningVar, mean, variance, { momentum, varianceScale }) {
      run('updateRunning', { rows: 1, chans: mean.numElements }, 1, [mean, variance, runningMean, runningVar], { momentum, varianceScale });
    },
  };
}
