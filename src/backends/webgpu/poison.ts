import type { GpuContext } from './device.ts';

/**
 * Fills all of `buffer` with NaN, including pool slack past the tensor's end, for tests: an element a kernel
 * forgot to write stays NaN, and a write past the end shows up in the slack. WGSL does not fault on a bad index,
 * so without this a missed element would just read as stale plausible numbers (STYLE.md §7).
 */
export function poison(gpu: GpuContext, buffer: GPUBuffer): void {
  const nan = new Float32Array(buffer.size / 4).fill(NaN);
  gpu.errors.scoped(`poison ${buffer.label}`, () => gpu.device.queue.writeBuffer(buffer, 0, nan));
}
