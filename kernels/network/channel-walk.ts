// channel-walk.ts: how the per-channel kernels (reduce-sum, batch-norm, mul's gate) walk a channels-last tensor
// seen as rows of C channels, when C (39 in the network) is not a multiple of the vector width.
// A block of g consecutive rows is g·C floats, a multiple of 4 when g is a multiple of 4 / gcd(C, 4): walked as
// whole f32x4 with no tail, lane k of vector v of a block always holds channel (4v + k) mod C. So per-channel
// factors are laid out once as the same g rows (replicate) and read as vectors beside the data. g is also at
// least 32 / C, so a block holds 8 or more vectors: accumulators kept in such a row (reduce-sum) are each
// revisited only after 8 other vectors, never waiting on the store just before. Rows past the last whole block
// (fewer than g) go row by row, their last partial vector masked (loads) or stored lane by lane.
// No memory of its own: replicate writes a caller's scratch row of g·C f32.

import { at } from './simd';

/** g, the rows of a block, for C channels: a multiple of 4 / gcd(C, 4) with g·C ≥ 32. */
export function blockRows(chans: i32): i32 {
  if (chans <= 0) return 1; // an empty row: nothing to walk
  const step = (chans & 3) == 0 ? 1 : (chans & 1) == 0 ? 2 : 4;
  let g = step;
  while (g * chans < 32) g += step;
  return g;
}

/** dst[r·C + c] = src[c] for r < g, c < C: a per-channel row laid out for a block of g rows. */
export function replicate(src: usize, dst: usize, chans: i32, g: i32): void {
  for (let r = 0; r < g; r++) memory.copy(at(dst, r * chans), src, <usize>chans << 2);
}
