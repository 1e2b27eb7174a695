// accumulate.ts: the fixed-order sums every training reduction shares (weight gradients, bias sums, BatchNorm
// statistics and backward).
// A reduction over the rows of a batch (up to B·T·F terms) is cut into chunks set by the shape alone (a sample, or
// CHUNK_ROWS rows): f32x4 partial sums over each chunk, then the chunks' partials added in f64 in chunk order and
// rounded to f32 once. Short f32 runs and a f64 spine keep the error near one rounding whatever the batch.
// Each chunk is a part of the work split: its n partials go to its own row of a partials block, (parts,
// paddedWidth(n)) f32 (gemm.ts: each row 16-aligned), written by whichever thread has that part; sumParts (or a
// family's own combine, through partSum) then adds the rows in part order. The partition depends on the shape alone, so the bits do not depend on
// the thread count. No memory of its own: the host passes the partials block and any scratch.

import { paddedWidth } from './gemm';
import { at, LANES } from './simd';

/** Rows per chunk where a kernel has no sample axis (BatchNorm, dense over flattened leading axes). */
export const CHUNK_ROWS: i32 = 256;

/** The chunks of CHUNK_ROWS rows (the last may be short) that cover `rows`: the parts of a row reduction. */
export function chunkCount(rows: i32): i32 {
  return (rows + CHUNK_ROWS - 1) / CHUNK_ROWS;
}

/** Bytes of the partials block of `parts` rows of n f32. */
export function partialsBytes(parts: i32, n: i32): i32 {
  return parts * paddedWidth(n) * 4;
}

/** Part p's row of n partials. */
@inline export function partRow(partials: usize, p: i32, n: i32): usize {
  return at(partials, p * paddedWidth(n));
}

/** acc[k] += g · x[k] for k < n (f32x4, a scalar tail). */
@inline export function axpy(acc: usize, x: usize, g: f32, n: i32): void {
  const s = f32x4.splat(g);
  let k = 0;
  for (; k + LANES <= n; k += LANES) v128.store(at(acc, k), f32x4.add(v128.load(at(acc, k)), f32x4.mul(s, v128.load(at(x, k)))));
  for (; k < n; k++) store<f32>(at(acc, k), load<f32>(at(acc, k)) + g * load<f32>(at(x, k)));
}

/** Σ_{j < count} partials[first + j][k] in f64, parts in order (rows of n partials). */
@inline export function partSum(partials: usize, first: i32, count: i32, n: i32, k: i32): f64 {
  const step = <usize>paddedWidth(n) << 2;
  let p = at(partRow(partials, first, n), k);
  let sum: f64 = 0;
  for (let j = 0; j < count; j++, p += step) sum += <f64>load<f32>(p);
  return sum;
}

/** Scratch of a sumParts range of `outputs` outputs: their f64 totals. */
export function sumPartsScratchBytes(outputs: i32): i32 {
  return outputs * 8;
}

/**
 * The combine step: each group g of groupParts consecutive parts sums its rows, in part order, in f64, times
 * scale, rounded once, for the row elements q in [lo, hi) of the flat (groups, n) range. A row laid out (taps,
 * n / taps) goes to out transposed, (n / taps, taps) (conv1d-causal's tap-major partials; taps = 1: as it is), at
 * g·n. Rows are read in order into the range's f64 totals (scratch: sumPartsScratchBytes(hi − lo)), not one output
 * down all the parts: the parts lie a row apart, thousands of floats for a weight gradient. Outputs are independent,
 * so the host may split them over threads too.
 */
export function sumParts(partials: usize, out: usize, scratch: usize, lo: i32, hi: i32, groupParts: i32, n: i32, taps: i32, scale: f64): void {
  const m = n / taps;
  for (let e = lo; e < hi; ) {
    const g = e / n;
    const q0 = e - g * n;
    const len = min(n - q0, hi - e);
    memory.fill(scratch, 0, <usize>len << 3);
    for (let j = 0; j < groupParts; j++) {
      const row = at(partRow(partials, g * groupParts + j, n), q0);
      for (let q = 0; q < len; q++) {
        const p = scratch + (<usize>q << 3);
        store<f64>(p, load<f64>(p) + <f64>load<f32>(at(row, q)));
      }
    }
    for (let q = q0; q < q0 + len; q++) {
      const tap = q / m;
      store<f32>(at(out, g * n + (q - tap * m) * taps + tap), <f32>(load<f64>(scratch + (<usize>(q - q0) << 3)) * scale));
    }
    e += len;
  }
}
