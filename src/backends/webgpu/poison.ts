import type { DispatchContext } from './dispatch.ts';
import { writeBuffer, writeFresh } from './transfer.ts';

/**
 * Fills all of `buffer` with NaN, including pool slack past the tensor's end, for tests: an element a kernel
 * forgot to write stays NaN, and a write past the end shows up in the slack. WGSL does not fault on a bad index,
 * so without this a missed element would just read as stale plausible numbers (STYLE.md §7).
 * `fresh`: the buffer was just taken from the pool, so no recorded work needs submitting first.
 */
export function poison(ctx: DispatchContext, buffer: GPUBuffer, fresh = false): void {
  const nan = new Float32Array(buffer.size / 4).fill(NaN);
  if (fresh) writeFresh(ctx, buffer, nan);
  else writeBuffer(ctx, buffer, nan);
}
