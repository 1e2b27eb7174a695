// accumulate.ts: the pieces the weight-gradient kernels share (dense, conv1d-causal, conv2d backwardWeight).
// A weight gradient is a sum over every row of a batch (up to B·T·F products). It is summed in a fixed order set by
// the shape alone: f32x4 partial sums over one chunk of rows (a sample, or CHUNK_ROWS rows), each chunk's partials
// then added into f64 totals in chunk order, the totals rounded to f32 once at the end. Short f32 runs and a f64
// spine keep the error near one rounding whatever the batch, and a later split of the chunks over threads keeps
// the same order (the totals are added chunk by chunk). No memory of its own: callers pass their scratch.

import { at, LANES } from './simd';

/** Rows per chunk where a kernel has no sample axis (dense over flattened leading axes). */
export const CHUNK_ROWS: i32 = 256;

/** acc[k] += g · x[k] for k < n (f32x4, a scalar tail). */
@inline export function axpy(acc: usize, x: usize, g: f32, n: i32): void {
  const s = f32x4.splat(g);
  let k = 0;
  for (; k + LANES <= n; k += LANES) v128.store(at(acc, k), f32x4.add(v128.load(at(acc, k)), f32x4.mul(s, v128.load(at(x, k)))));
  for (; k < n; k++) store<f32>(at(acc, k), load<f32>(at(acc, k)) + g * load<f32>(at(x, k)));
}

/** total[k] += acc[k] (f64 totals, f32 partials) for k < n, then acc zeroed for the next chunk. */
export function flushChunk(total: usize, acc: usize, n: i32): void {
  for (let k = 0; k < n; k++) {
    const p = total + (<usize>k << 3);
    store<f64>(p, load<f64>(p) + <f64>load<f32>(at(acc, k)));
  }
  memory.fill(acc, 0, <usize>n << 2);
}

/** Bytes of n f32 partials followed by n f64 totals (8-aligned: n·4 rounded up to 8). */
export function chunkScratchBytes(n: i32): i32 {
  return ((n * 4 + 7) & ~7) + n * 8;
}

/** The f64 totals' address in a chunkScratchBytes(n) block at scratch (partials first). */
@inline export function totalsOf(scratch: usize, n: i32): usize {
  return scratch + <usize>((n * 4 + 7) & ~7);
}

/** Zeroes the partials and totals of a chunkScratchBytes(n) block. */
export function clearChunks(scratch: usize, n: i32): void {
  memory.fill(scratch, 0, <usize>chunkScratchBytes(n));
}
