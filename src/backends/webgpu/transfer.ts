import { GpuError, invariant } from '../../errors.ts';
import type { DispatchContext } from './dispatch.ts';
import { firstLine } from './error-tracker.ts';
import { BufferUsage, MapMode } from './gpu-flags.ts';

/**
 * Copies `data` into a fresh pooled storage buffer labelled `label`; bytes past `data` are whatever the pool left.
 * No flush: the pool hands out a buffer that no recorded, unsubmitted work reads, and queue writes land before
 * recorded commands are submitted, which is right for the commands that will read the new contents.
 */
export function upload(ctx: DispatchContext, data: Float32Array, label: string): GPUBuffer {
  const buffer = ctx.pool.acquire(data.byteLength, label, true);
  writeFresh(ctx, buffer, data);
  return buffer;
}

/**
 * Writes the start of a buffer just taken from the pool, which no recorded command writes yet. If recorded work
 * may still read its old contents (a kernel output's buffer, freed and reused mid-step), that work goes first.
 */
export function writeFresh(ctx: DispatchContext, buffer: GPUBuffer, data: Float32Array): void {
  if (ctx.pool.readByUnsubmittedWork(buffer)) ctx.recorder.flush();
  ctx.gpu.errors.scoped(`upload ${buffer.label}`, () => ctx.gpu.device.queue.writeBuffer(buffer, 0, data));
}

/**
 * Overwrites the start of any buffer with `data`, after all recorded work: queue writes run before any later
 * submit, so without the flush the write could overtake a recorded dispatch that uses the buffer.
 */
export function writeBuffer(ctx: DispatchContext, buffer: GPUBuffer, data: Float32Array): void {
  ctx.recorder.flush();
  writeFresh(ctx, buffer, data);
}

/**
 * Reads the first `numElements` f32 of `source` back to the CPU, after all work recorded before it (submitted here). Rejects with
 * the first GPU error recorded since the last readback (naming its pipeline or dispatch), or `GPU device lost`.
 */
export async function readback(ctx: DispatchContext, source: GPUBuffer, numElements = source.size / 4): Promise<Float32Array> {
  const { gpu } = ctx;
  invariant(
    Number.isInteger(numElements) && numElements >= 0 && numElements * 4 <= source.size,
    `readback ${source.label}: ${numElements} f32 do not fit its ${source.size} bytes`,
  );
  const sizeBytes = numElements * 4;
  if (sizeBytes === 0) {
    await gpu.errors.check();
    return new Float32Array(0);
  }
  ctx.recorder.flush();
  const label = `readback ${source.label}`;
  const staging = gpu.errors.scoped(label, () => {
    const buffer = gpu.device.createBuffer({ label, size: sizeBytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    const encoder = gpu.device.createCommandEncoder({ label });
    encoder.copyBufferToBuffer(source, 0, buffer, 0, sizeBytes);
    gpu.device.queue.submit([encoder.finish()]);
    return buffer;
  });
  try {
    try {
      await staging.mapAsync(MapMode.READ);
    } catch (error) {
      await gpu.errors.check();
      throw new GpuError(`${label}: ${firstLine(error instanceof Error ? error.message : String(error))}`, { cause: error });
    }
    await gpu.errors.check();
    return new Float32Array(staging.getMappedRange().slice(0));
  } finally {
    staging.destroy();
  }
}
