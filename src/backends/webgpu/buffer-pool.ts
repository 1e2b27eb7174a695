import { invariant } from '../../errors.ts';
import type { GpuContext } from './device.ts';
import { BufferUsage } from './gpu-flags.ts';

/** Every pooled buffer can be bound as storage, filled (upload, poison) and copied out (readback). */
const POOL_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

/** Smallest pooled buffer: 16 bytes, so a 0- or 1-element tensor still gets a bindable buffer. */
const MIN_SIZE_BYTES = 16;

/**
 * The size class a request of `sizeBytes` is served from: rounded up to a quarter of its power of two
 * (…, 1024, 1280, 1536, 1792, 2048, …), so a buffer is reused for tensors up to 25 % smaller and wastes at most
 * 25 %. Never rounded past `maxBindingBytes` when the tensor itself fits, since a pooled buffer is bound whole.
 */
export function sizeClassBytes(sizeBytes: number, maxBindingBytes = Infinity): number {
  const size = Math.max(MIN_SIZE_BYTES, Math.ceil(sizeBytes / 4) * 4);
  const step = 2 ** (Math.floor(Math.log2(size)) - 2);
  const rounded = Math.ceil(size / step) * step;
  return rounded > maxBindingBytes && size <= maxBindingBytes ? size : rounded;
}

/**
 * Storage buffers reused by size class. `acquire` relabels the buffer with the tensor's name (what `msse inspect`
 * and Dawn's error messages show); bytes past the tensor's end, and all contents of a reused buffer, are stale:
 * kernels must write every element they own (tests poison buffers first to prove it).
 */
export class BufferPool {
  readonly #free = new Map<number, GPUBuffer[]>();
  readonly #leased = new Set<GPUBuffer>();
  #created = 0;
  #reused = 0;

  constructor(private readonly gpu: GpuContext) {}

  /** A buffer of at least `sizeBytes`, labelled `label` (a tensor name such as `fwd.tab3.conv2.weight`). */
  acquire(sizeBytes: number, label: string): GPUBuffer {
    this.gpu.errors.assertAlive();
    const classBytes = sizeClassBytes(sizeBytes, this.gpu.limits.maxStorageBufferBindingSize);
    let buffer = this.#free.get(classBytes)?.pop();
    if (buffer === undefined) {
      buffer = this.gpu.errors.scoped(`buffer ${label} (${classBytes} bytes)`, () =>
        this.gpu.device.createBuffer({ label, size: classBytes, usage: POOL_USAGE }),
      );
      this.#created++;
    } else {
      buffer.label = label;
      this.#reused++;
    }
    this.#leased.add(buffer);
    return buffer;
  }

  /** Returns a buffer for reuse; GPU work already submitted on it still completes first (queue order). */
  release(buffer: GPUBuffer): void {
    invariant(this.#leased.delete(buffer), `BufferPool.release: buffer '${buffer.label}' is not leased from this pool`);
    const list = this.#free.get(buffer.size);
    if (list === undefined) this.#free.set(buffer.size, [buffer]);
    else list.push(buffer);
  }

  /** Destroys the free buffers (leased ones stay valid). */
  trim(): void {
    for (const list of this.#free.values()) for (const buffer of list) buffer.destroy();
    this.#free.clear();
  }

  /** Counts for tests and `msse inspect`: buffers created, requests served by reuse, buffers leased now. */
  get stats(): { created: number; reused: number; leased: number } {
    return { created: this.#created, reused: this.#reused, leased: this.#leased.size };
  }
}
