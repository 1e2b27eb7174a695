import type { Kernels } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import { packParams, type ParamsFields, type ParamsValues } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/mul.wgsl, field for field. */
export const params = [
  ['total', 'u32'],
  ['mid', 'u32'],
  ['chans', 'u32'],
  ['chunkRows', 'u32'],
  ['chunks', 'u32'],
] as const satisfies ParamsFields;

/**
 * Rows m one invocation walks (forward: scales; backwardB: sums). 64 gives the SE gate (M = 188·117) 344 chunks:
 * 54k invocations at the golden batch 4, 858k at batch 64, and sums of at most 64 then 344 terms.
 */
export const MUL_CHUNK_ROWS = 64;

/**
 * a seen as (B, M, C) and b as (B, C): b (B, C) broadcast over the middle axes of a (B, …, C), or b of a's shape
 * seen as B = 1, M = 1, C = numElements (as src/backends/reference/mul.ts).
 */
interface Layout {
  readonly batch: number;
  readonly mid: number;
  readonly chans: number;
}
function layout(a: Tensor, b: Tensor): Layout {
  if (b.shape.length === a.shape.length) return { batch: 1, mid: 1, chans: a.numElements };
  const [batch, chans] = [a.shape[0]!, a.shape[a.shape.length - 1]!];
  return { batch, mid: a.numElements / (batch * chans), chans };
}

/** Params of the (n, chunk, c) invocation grid over a (B, M, C) tensor with MUL_CHUNK_ROWS rows per chunk. */
function chunkGrid({ batch, mid, chans }: Layout): ParamsValues<typeof params> {
  const chunks = Math.ceil(mid / MUL_CHUNK_ROWS);
  return { total: batch * chunks * chans, mid, chans, chunkRows: MUL_CHUNK_ROWS, chunks };
}

/**
 * The mul family of the Backend interface (src/runtime/backend.ts) on GPU tensors. backwardB sums over the
 * broadcast axes in two passes (chunk partial sums, then their sum); with a single chunk (always so for
 * same-shape b) the partial pass writes db directly.
 */
export function mulKernels(g: GpuTensors): Kernels['mul'] {
  return {
    forward(a, b) {
      const grid = chunkGrid(layout(a, b));
      const y = g.output(a.shape, 'mul.y');
      g.run('mul', 'forward', packParams(params, grid), [a, b, y], grid.total);
      return y;
    },
    backwardB(dy, a, b) {
      const shape = layout(a, b);
      const grid = chunkGrid(shape);
      const { batch, chans } = shape;
      const { chunks } = grid;
      const part = chunks === 1 ? g.output(b.shape, 'mul.db') : g.output([batch, chunks, chans], 'mul.db.partial');
      g.run('mul', 'partial', packParams(params, grid), [dy, a, part], grid.total);
      if (chunks === 1) return part;
      // The partial sums seen as (B, M = chunks, C), summed in one chunk spanning all their rows.
      const db = g.output(b.shape, 'mul.db');
      const finish = { total: batch * chans, mid: chunks, chans, chunkRows: chunks, chunks: 1 };
      g.run('mul', 'finish', packParams(params, finish), [part, db], batch * chans);
      return db;
    },
  };
}
