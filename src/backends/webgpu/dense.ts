import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { Shape, Tensor } from '../../runtime/tensor.ts';
import { numElements } from '../../runtime/tensor.ts';
import { channelStride, PARTIAL_VECTORS } from './channel-walk.ts';
import { packParams, type ParamsFields, type ParamsValues } from './params.ts';
import { mulInference, mulTraining } from './mul.ts';
import { sumRuns } from './reduce-sum.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/dense.wgsl, field for field. */
export const params = [
  ['rows', 'u32'],
  ['cin', 'u32'],
  ['cout', 'u32'],
  ['rowsPerChunk', 'u32'],
  ['chunks', 'u32'],
  ['total', 'u32'],
  ['sampleBlocks', 'u32'],
  ['stride', 'u32'],
] as const satisfies ParamsFields;

/** Side of the output tile one invocation computes (`TILE` in shaders/dense.wgsl). */
const TILE = 4;

/**
 * Invocations a chunked weight-gradient pass aims for: enough to keep every core busy (llvmpipe's 2 here,
 * a GPU's thousands of lanes) while the chunk-summing pass stays short (chunks = this / tiles per chunk).
 */
const TARGET_PARTIAL_INVOCATIONS = 16_384;

/** Rows a chunk sums at least, so small reductions are not cut into chunks that cost more than they save. */
const MIN_ROWS_PER_CHUNK = 16;

/** How a reduction over `rows` rows is cut into chunks (rows [k·rowsPerChunk, (k+1)·rowsPerChunk) ∩ [0, rows)). */
export interface Chunking {
  readonly rowsPerChunk: number;
  readonly chunks: number;
}

/**
 * Chunks for a weight gradient reduced over `rows` rows, `tiles` invocations per chunk: about
 * TARGET_PARTIAL_INVOCATIONS invocations in all, at least MIN_ROWS_PER_CHUNK rows each (one chunk for small sums).
 */
export function chunkRows(rows: number, tiles: number): Chunking {
  const rowsPerChunk = Math.max(MIN_ROWS_PER_CHUNK, Math.ceil((rows * tiles) / TARGET_PARTIAL_INVOCATIONS));
  return { rowsPerChunk, chunks: Math.max(1, Math.ceil(rows / rowsPerChunk)) };
}

/**
 * Column sums of `partial` (chunks, …) in `shape` (the size of one chunk): shaders/dense.wgsl `sumChunks`, the
 * second pass of every chunked weight gradient (dense and conv2d). The chunks are added in order; `partial` is freed.
 */
export function sumChunks(g: GpuTensors, partial: Tensor, shape: Shape, label: string): Tensor {
  const total = numElements(shape);
  const sums = g.output(shape, label);
  const values = { rows: 0, cin: 0, cout: 0, rowsPerChunk: 0, chunks: partial.numElements / total, total, sampleBlocks: 0, stride: 0 };
  g.run('dense', 'sumChunks', packParams(params, values), [partial, sums], total);
  g.release(partial);
  return sums;
}

const tilesOf = (count: number): number => Math.ceil(count / TILE);

/** R (every leading axis flattened) and the last axis of a (…, last) tensor. */
function rowsOf(t: Tensor): { rows: number; last: number } {
  const last = t.shape[t.shape.length - 1]!;
  return { rows: t.numElements / last, last };
}

/**
 * The Out = 1 vec4 entry points (`…Single`, shaders/dense.wgsl) over R rows in blocks of 4, `samples` weight rows
 * each used by `sampleBlocks` consecutive blocks (1 weight row for the shared-weight dense).
 */
interface SingleLayout {
  readonly rows: number;
  readonly cin: number;
  readonly samples: number;
  readonly sampleBlocks: number;
}

/** The `…Single` layout of R rows with `samples` weight rows, when each weight row's rows are whole blocks of 4. */
function singleLayout(rows: number, cin: number, samples: number): SingleLayout | undefined {
  const perSample = rows / samples;
  return rows > 0 && perSample % 4 === 0 ? { rows, cin, samples, sampleBlocks: perSample / 4 } : undefined;
}

/** Invocations of forwardSingle: four blocks of one sample each (dense.wgsl `quadOf`). */
function quadInvocations({ samples, sampleBlocks }: SingleLayout): number {
  return samples * Math.ceil(sampleBlocks / 4);
}

/** Params of a `…Single` pass of `total` invocations (backwardWeightSingle: `stride` per weight row). */
function singleParams({ rows, cin, sampleBlocks }: SingleLayout, total: number, stride = 0): ParamsValues<typeof params> {
  return { rows, cin, cout: 1, rowsPerChunk: 0, chunks: 0, total, sampleBlocks, stride };
}

function run(g: GpuTensors, entry: string, values: ParamsValues<typeof params>, tensors: readonly Tensor[]): void {
  g.run('dense', entry, packParams(params, values), tensors, values.total);
}

function tiled(rows: number, cin: number, cout: number, total: number, chunking: Chunking = { rowsPerChunk: 0, chunks: 0 }): ParamsValues<typeof params> {
  return { rows, cin, cout, ...chunking, total, sampleBlocks: 0, stride: 0 };
}

/** Weight rows (S, In) tiled four times each, (S, 4 · In): the weight of every lane of a 4-row block's vec4s. */
function tiledWeights(g: GpuTensors, w: Tensor, layout: SingleLayout): Tensor {
  const wt = g.output([layout.samples, 4 * layout.cin], 'dense.wTiled');
  run(g, 'tileWeights', singleParams(layout, layout.samples * 4 * layout.cin), [w, wt]);
  return wt;
}

function forwardSingle(g: GpuTensors, x: Tensor, w: Tensor, b: Tensor, layout: SingleLayout): Tensor {
  const y = g.output([...x.shape.slice(0, -1), 1], 'dense.y');
  const wt = tiledWeights(g, w, layout);
  run(g, 'forwardSingle', singleParams(layout, quadInvocations(layout)), [x, wt, b, y]);
  g.release(wt);
  return y;
}

function backwardInputSingle(g: GpuTensors, dy: Tensor, w: Tensor, layout: SingleLayout): Tensor {
  const dx = g.output([...dy.shape.slice(0, -1), layout.cin], 'dense.dx');
  const wt = tiledWeights(g, w, layout);
  run(g, 'backwardInputSingle', singleParams(layout, layout.rows / 4), [dy, wt, dx]);
  g.release(wt);
  return dx;
}

/** A channel-aligned walk over each weight row's vec4s; its (S, 4 · stride / In, In) partials summed by reduce-sum. */
function backwardWeightSingle(g: GpuTensors, dy: Tensor, x: Tensor, layout: SingleLayout): Tensor {
  const { cin, samples, sampleBlocks } = layout;
  const stride = channelStride(sampleBlocks * cin, cin, PARTIAL_VECTORS);
  const partialRows = (4 * stride) / cin;
  const partial = g.output([samples, partialRows, cin], 'dense.dwPartial');
  run(g, 'backwardWeightSingle', singleParams(layout, samples * stride, stride), [dy, x, partial]);
  const dw = sumRuns(g, partial, { outer: samples, reduced: partialRows, inner: cin }, 1, [samples, cin], 'dense.dw');
  g.release(partial);
  return dw;
}

/** The gate-free fallback's shared weights: ones (1, In), so that dense(x, ones) sums a row and its backwardInput broadcasts. */
function ones(g: GpuTensors, cin: number): Tensor {
  return g.upload(new Float32Array(cin).fill(1), [1, cin], 'dense.ones', { transient: true });
}

/** Frees the fallback's scratch tensors once the passes that read them are recorded. */
function release(g: GpuTensors, ...scratch: Tensor[]): void {
  scratch.forEach((t) => g.release(t));
}

/**
 * The dense family of the kernel interface (src/runtime/backend.ts) on GPU tensors: y[r, o] = b[o] +
 * Σ_i w[o, i] · x[r, i] over the last axis, any leading axes; w read as (Out, In) whatever its rank.
 * Out = 1 with R a multiple of 4 (the 1×1 conv) runs the vec4 `…Single` entry points, the rest 4×4 tiles. The
 * per-sample kernels run the `…Single` entry points with a weight row per sample when every sample's rows are whole
 * blocks of 4, and otherwise the gate product and the shared-weight kernels in turn (same numbers, more traffic).
 */
export function denseInference(g: GpuTensors): InferenceKernels['dense'] {
  const mul = mulInference(g);
  const kernels: InferenceKernels['dense'] = {
    forward(x, w, b) {
      const { rows, last: cin } = rowsOf(x);
      const cout = w.shape[0]!;
      const layout = cout === 1 ? singleLayout(rows, cin, 1) : undefined;
      if (layout !== undefined) return forwardSingle(g, x, w, b, layout);
      const y = g.output([...x.shape.slice(0, -1), cout], 'dense.y');
      run(g, 'forward', tiled(rows, cin, cout, tilesOf(rows) * tilesOf(cout)), [x, w, b, y]);
      return y;
    },

    forwardPerSample(x, w, b) {
      const { rows, last: cin } = rowsOf(x);
      const layout = singleLayout(rows, cin, w.shape[0]!);
      if (layout !== undefined) return forwardSingle(g, x, w, b, layout);
      const [scaled, rowSum] = [mul.forward(x, w), ones(g, cin)];
      const y = kernels.forward(scaled, rowSum, b);
      release(g, scaled, rowSum);
      return y;
    },
  };
  return kernels;
}

export function denseTraining(g: GpuTensors): TrainingKernels['dense'] {
  const mul = { ...mulInference(g), ...mulTraining(g) };
  const kernels: TrainingKernels['dense'] = {
    backwardInput(dy, w) {
      const { rows, last: cout } = rowsOf(dy);
      const cin = w.numElements / cout;
      const layout = cout === 1 ? singleLayout(rows, cin, 1) : undefined;
      if (layout !== undefined) return backwardInputSingle(g, dy, w, layout);
      const dx = g.output([...dy.shape.slice(0, -1), cin], 'dense.dx');
      run(g, 'backwardInput', tiled(rows, cin, cout, tilesOf(rows) * tilesOf(cin)), [dy, w, dx]);
      return dx;
    },

    // Two passes (shaders/dense.wgsl): chunk partial sums, then their sum; a single tiled chunk is already dw.
    backwardWeight(dy, x) {
      const { rows, last: cin } = rowsOf(x);
      const cout = dy.shape[dy.shape.length - 1]!;
      const layout = cout === 1 ? singleLayout(rows, cin, 1) : undefined;
      if (layout !== undefined) return backwardWeightSingle(g, dy, x, layout);
      const tiles = tilesOf(cout) * tilesOf(cin);
      const chunking = chunkRows(rows, tiles);
      const single = chunking.chunks === 1;
      const partial = g.output(single ? [cout, cin] : [chunking.chunks, cout, cin], single ? 'dense.dw' : 'dense.dwPartial');
      run(g, 'backwardWeightPartial', tiled(rows, cin, cout, chunking.chunks * tiles, chunking), [dy, x, partial]);
      return single ? partial : sumChunks(g, partial, [cout, cin], 'dense.dw');
    },

    backwardInputPerSample(dy, w) {
      const [samples, cin] = [w.shape[0]!, w.shape[1]!];
      const layout = singleLayout(dy.numElements, cin, samples);
      if (layout !== undefined) return backwardInputSingle(g, dy, w, layout);
      const rowSum = ones(g, cin);
      const spread = kernels.backwardInput(dy, rowSum);
      const dx = mul.forward(spread, w);
      release(g, rowSum, spread);
      return dx;
    },

    backwardWeightPerSample(dy, x, w) {
      const { rows, last: cin } = rowsOf(x);
      const layout = singleLayout(rows, cin, w.shape[0]!);
      if (layout !== undefined) return backwardWeightSingle(g, dy, x, layout);
      const rowSum = ones(g, cin);
      const spread = kernels.backwardInput(dy, rowSum);
      const dw = mul.backwardB(spread, x, w);
      release(g, rowSum, spread);
      return dw;
    },
  };
  return kernels;
}
