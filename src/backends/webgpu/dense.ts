import type { Kernels } from '../../runtime/backend.ts';
import type { Shape, Tensor } from '../../runtime/tensor.ts';
import { numElements } from '../../runtime/tensor.ts';
import { channelStride, PARTIAL_VECTORS } from './channel-walk.ts';
import { packParams, type ParamsFields, type ParamsValues } from './params.ts';
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
 * second pass of every chunked weight gradient (dense and conv2d). The chunks are added in order.
 */
export function sumChunks(g: GpuTensors, partial: Tensor, shape: Shape, label: string): Tensor {
  const total = numElements(shape);
  const sums = g.output(shape, label);
  const values = { rows: 0, cin: 0, cout: 0, rowsPerChunk: 0, chunks: partial.numElements / total, total };
  g.run('dense', 'sumChunks', packParams(params, values), [partial, sums], total);
  return sums;
}

const tilesOf = (count: number): number => Math.ceil(count / TILE);

/** R (every leading axis flattened) and the last axis of a (…, last) tensor. */
function rowsOf(t: Tensor): { rows: number; last: number } {
  const last = t.shape[t.shape.length - 1]!;
  return { rows: t.numElements / last, last };
}

/** True when the Out = 1 vec4 entry points (`…Single`, shaders/dense.wgsl) apply: blocks of 4 whole rows. */
function singleOutput(rows: number, cout: number): boolean {
  return cout === 1 && rows > 0 && rows % 4 === 0;
}

/**
 * The dense family of the Backend interface (src/runtime/backend.ts) on GPU tensors: y[r, o] = b[o] +
 * Σ_i w[o, i] · x[r, i] over the last axis, any leading axes; w read as (Out, In) whatever its rank.
 * Out = 1 with R a multiple of 4 (the 1×1 conv) runs the vec4 `…Single` entry points, the rest 4×4 tiles.
 */
export function denseKernels(g: GpuTensors): Kernels['dense'] {
  const run = (entry: string, values: ParamsValues<typeof params>, tensors: readonly Tensor[]): void =>
    g.run('dense', entry, packParams(params, values), tensors, values.total);

  /** w (1, In) tiled four times, (4 · In): the weight of every lane of a 4-row block's vec4s. */
  const tiledWeights = (w: Tensor, cin: number): Tensor => {
    const wt = g.output([4 * cin], 'dense.wTiled');
    run('tileWeights', { rows: 0, cin, cout: 1, rowsPerChunk: 0, chunks: 0, total: 4 * cin }, [w, wt]);
    return wt;
  };

  return {
    forward(x, w, b) {
      const { rows, last: cin } = rowsOf(x);
      const cout = w.shape[0]!;
      const y = g.output([...x.shape.slice(0, -1), cout], 'dense.y');
      if (singleOutput(rows, cout)) {
        run('forwardSingle', { rows, cin, cout, rowsPerChunk: 0, chunks: 0, total: rows / 4 }, [x, tiledWeights(w, cin), b, y]);
        return y;
      }
      run('forward', { rows, cin, cout, rowsPerChunk: 0, chunks: 0, total: tilesOf(rows) * tilesOf(cout) }, [x, w, b, y]);
      return y;
    },

    backwardInput(dy, w) {
      const { rows, last: cout } = rowsOf(dy);
      const cin = w.numElements / cout;
      const dx = g.output([...dy.shape.slice(0, -1), cin], 'dense.dx');
      if (singleOutput(rows, cout)) {
        run('backwardInputSingle', { rows, cin, cout, rowsPerChunk: 0, chunks: 0, total: rows / 4 }, [dy, tiledWeights(w, cin), dx]);
        return dx;
      }
      run('backwardInput', { rows, cin, cout, rowsPerChunk: 0, chunks: 0, total: tilesOf(rows) * tilesOf(cin) }, [dy, w, dx]);
      return dx;
    },

    // Two passes (shaders/dense.wgsl): chunk partial sums, then their sum; a single tiled chunk is already dw.
    backwardWeight(dy, x) {
      const { rows, last: cin } = rowsOf(x);
      const cout = dy.shape[dy.shape.length - 1]!;
      if (singleOutput(rows, cout)) {
        // A channel-aligned walk over x's vec4s; its (4 · stride / In, In) partials summed by reduce-sum's tree.
        const stride = channelStride((rows / 4) * cin, cin, PARTIAL_VECTORS);
        const partialRows = (4 * stride) / cin;
        const partial = g.output([partialRows, cin], 'dense.dwPartial');
        run('backwardWeightSingle', { rows, cin, cout, rowsPerChunk: 0, chunks: 0, total: stride }, [dy, x, partial]);
        return sumRuns(g, partial, { outer: 1, reduced: partialRows, inner: cin }, 1, [1, cin], 'dense.dw');
      }
      const tiles = tilesOf(cout) * tilesOf(cin);
      const { rowsPerChunk, chunks } = chunkRows(rows, tiles);
      const single = chunks === 1;
      const partial = g.output(single ? [cout, cin] : [chunks, cout, cin], single ? 'dense.dw' : 'dense.dwPartial');
      run('backwardWeightPartial', { rows, cin, cout, rowsPerChunk, chunks, total: chunks * tiles }, [dy, x, partial]);
      return single ? partial : sumChunks(g, partial, [cout, cin], 'dense.dw');
    },
  };
}
