import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import { type ChannelWalk, ELEMENTWISE_VECTORS, PARTIAL_VECTORS, partialRows, slabWalk } from './channel-walk.ts';
import { vectorPasses } from './dispatch-size.ts';
import { packParams, type ParamsFields, type ParamsValues } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/mul.wgsl, field for field. */
export const params = [
  ['total', 'u32'],
  ['mid', 'u32'],
  ['chans', 'u32'],
  ['chunkRows', 'u32'],
  ['chunks', 'u32'],
  ['vectors', 'u32'],
  ['stride', 'u32'],
] as const satisfies ParamsFields;

/**
 * Rows m one invocation walks (forward: scales; backwardB: sums). 64 gives the SE gate (M = 188·117) 344 chunks:
 * 54k invocations at the golden batch 4, 858k at batch 64, and sums of at most 64 then 344 terms.
 */
export const MUL_CHUNK_ROWS = 64;

/** a seen as (B, M, C) for b (B, C), the SE gate broadcast over the middle axes of a (B, …, C). */
interface Layout {
  readonly batch: number;
  readonly mid: number;
  readonly chans: number;
}
function layout(a: Tensor): Layout {
  const [batch, chans] = [a.shape[0]!, a.shape[a.shape.length - 1]!];
  return { batch, mid: a.numElements / (batch * chans), chans };
}

/** Params of the (n, chunk, c) invocation grid over a (B, M, C) tensor with MUL_CHUNK_ROWS rows per chunk. */
function chunkGrid({ batch, mid, chans }: Layout): ParamsValues<typeof params> {
  const chunks = Math.ceil(mid / MUL_CHUNK_ROWS);
  return { total: batch * chunks * chans, mid, chans, chunkRows: MUL_CHUNK_ROWS, chunks, vectors: 0, stride: 0 };
}

/** The channel-aligned vec4 walk over the slabs a[n] when they are whole vec4s (the SE gate), else undefined. */
function gateWalk({ batch, mid, chans }: Layout, perInvocation: number): ChannelWalk | undefined {
  return slabWalk(batch, mid * chans, chans, perInvocation);
}

/** Params of the vec4 entry points over `walk`: B · stride invocations. */
function walkGrid({ mid, chans }: Layout, { slabs, vectors, stride }: ChannelWalk): ParamsValues<typeof params> {
  return { total: slabs * stride, mid, chans, chunkRows: 0, chunks: 0, vectors, stride };
}

/**
 * The mul family of the kernel interface (src/runtime/backend.ts) on GPU tensors. Same-shape b is the vec4
 * elementwise `product` (backwardB = dy · a). The SE gate runs the channel-aligned vec4 walks when a's slabs are
 * whole vec4s, the scalar chunk grid otherwise; its backwardB sums over the broadcast axes in two passes (partial
 * sums, then `finish`), or one when a single chunk covers the rows.
 */
/** Records one pass of `entry` over `grid`. */
function run(g: GpuTensors, entry: string, grid: ParamsValues<typeof params>, tensors: readonly Tensor[]): void {
  g.run('mul', entry, packParams(params, grid), tensors, grid.total);
}

/** y = a · b elementwise, same shapes: `product` over whole vec4s, `productTail` over the rest. */
function product(g: GpuTensors, a: Tensor, b: Tensor, label: string): Tensor {
  const y = g.output(a.shape, label);
  const { passes, values } = vectorPasses('product', a.numElements);
  const words = packParams(params, { ...values, mid: 0, chans: 0, chunkRows: 0, chunks: 0 });
  for (const [pass, invocations] of passes) g.run('mul', pass, words, [a, b, y], invocations);
  return y;
}

/** db (B, C) = Σ over the rows of (B, rows, C) partials, one invocation per (n, c); frees `part`. */
function finish(g: GpuTensors, part: Tensor, b: Tensor, { batch, chans }: Layout, rows: number): Tensor {
  const db = g.output(b.shape, 'mul.db');
  run(g, 'finish', { total: batch * chans, mid: rows, chans, chunkRows: rows, chunks: 1, vectors: 0, stride: 0 }, [part, db]);
  g.release(part);
  return db;
}

export function mulInference(g: GpuTensors): InferenceKernels['mul'] {
  return {
    forward(a, b) {
      if (b.shape.length === a.shape.length) return product(g, a, b, 'mul.y');
      const shape = layout(a);
      const y = g.output(a.shape, 'mul.y');
      const walk = gateWalk(shape, ELEMENTWISE_VECTORS);
      if (walk !== undefined) run(g, 'forwardVec4', walkGrid(shape, walk), [a, b, y]);
      else run(g, 'forward', chunkGrid(shape), [a, b, y]);
      return y;
    },
  };
}

export function mulTraining(g: GpuTensors): TrainingKernels['mul'] {
  return {
    backwardB(dy, a, b) {
      if (b.shape.length === a.shape.length) return product(g, dy, a, 'mul.db');
      const shape = layout(a);
      const walk = gateWalk(shape, PARTIAL_VECTORS);
      if (walk !== undefined) {
        const rows = partialRows(walk);
        const part = g.output([shape.batch, rows, shape.chans], 'mul.db.partial');
        run(g, 'partialVec4', walkGrid(shape, walk), [dy, a, part]);
        return finish(g, part, b, shape, rows);
      }
      const grid = chunkGrid(shape);
      if (grid.chunks === 1) {
        const db = g.output(b.shape, 'mul.db');
        run(g, 'partial', grid, [dy, a, db]);
        return db;
      }
      const part = g.output([shape.batch, grid.chunks, shape.chans], 'mul.db.partial');
      run(g, 'partial', grid, [dy, a, part]);
      return finish(g, part, b, shape, grid.chunks);
    },
  };
}
