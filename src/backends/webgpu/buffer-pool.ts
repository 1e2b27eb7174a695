import { invariant } from '../../errors.ts';
import type { GpuContext } from './device.ts';
import { BufferUsage } from './gpu-flags.ts';
import type { CommandRecorder } from './recorder.ts';

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
 * Storage buffers reused by size class. `acquire` relabels the buffer with the tensor name (what `msse inspect`
 * and Dawn's error messages show); bytes past the tensor's end, and all contents of a reused buffer, are stale:
 * kernels must write every element they own (tests poison buffers first to prove it). A buffer may be released
 * while recorded, unsubmitted dispatches still read it: a later dispatch may reuse it (WebGPU runs a pass's
 * dispatches in order), but a queue write may not until that work is submitted (`readByUnsubmittedWork`).
 */
export class BufferPool {
  readonly #free = new Map<number, GPUBuffer[]>();
  readonly #leased = new Set<GPUBuffer>();
  /** Buffers released while the recorder held work, with its submit count then. */
  readonly #releasedDuringSubmit = new WeakMap<GPUBuffer, number>();
  #created = 0;
  #createdBytes = 0;
  #reused = 0;

  constructor(
    private readonly gpu: GpuContext,
    private readonly recorder: CommandRecorder,
  ) {}

  /**
   * A buffer of at least `sizeBytes`, labelled `label` (a tensor name such as `fwd.tab3.conv2.weight`). `forQueueWrite`:
   * skip buffers that unsubmitted work may still read, so filling it needs no submit (an upload mid-step does not
   * split the step's command buffer).
   */
  acquire(sizeBytes: number, label: string, forQueueWrite = false): GPUBuffer {
    this.gpu.errors.assertAlive();
    const classBytes = sizeClassBytes(sizeBytes, this.gpu.limits.maxStorageBufferBindingSize);
    let buffer = this.#takeFree(classBytes, forQueueWrite) ?? this.#takeLarger(classBytes, forQueueWrite);
    if (buffer === undefined) {
      buffer = this.gpu.errors.scoped(`buffer ${label} (${classBytes} bytes)`, () =>
        this.gpu.device.createBuffer({ label, size: classBytes, usage: POOL_USAGE }),
      );
      this.#created++;
      this.#createdBytes += classBytes;
    } else {
      buffer.label = label;
      this.#reused++;
    }
    this.#leased.add(buffer);
    return buffer;
  }

  /** The most recently released free buffer of the class (for a queue write: the most recent one no unsubmitted work reads). */
  #takeFree(classBytes: number, forQueueWrite: boolean): GPUBuffer | undefined {
    const list = this.#free.get(classBytes) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      if (!forQueueWrite || !this.readByUnsubmittedWork(list[i]!)) return list.splice(i, 1)[0];
    }
    return undefined;
  }

  /**
   * A free buffer of the smallest larger class up to twice `classBytes`, when the class itself has none: a run
   * whose shapes change (an epoch's last, shorter batch; a test pass) then reuses the full batches' buffers
   * instead of growing the pool by a set per shape.
   */
  #takeLarger(classBytes: number, forQueueWrite: boolean): GPUBuffer | undefined {
    const larger = [...this.#free.keys()].filter((size) => size > classBytes && size <= 2 * classBytes).sort((a, b) => a - b);
    for (const size of larger) {
      const buffer = this.#takeFree(size, forQueueWrite);
      if (buffer !== undefined) return buffer;
    }
    return undefined;
  }

  /** Returns a buffer for reuse; dispatches already recorded on it still run first (queue and pass order). */
  release(buffer: GPUBuffer): void {
    invariant(this.#leased.delete(buffer), `BufferPool.release: buffer '${buffer.label}' is not leased from this pool`);
    if (this.recorder.pending > 0) this.#releasedDuringSubmit.set(buffer, this.recorder.submits);
    const list = this.#free.get(buffer.size);
    if (list === undefined) this.#free.set(buffer.size, [buffer]);
    else list.push(buffer);
  }

  /**
   * Whether dispatches recorded but not yet submitted may still read this (reacquired) buffer's old contents:
   * a queue write, which runs before them, must then submit them first.
   */
  readByUnsubmittedWork(buffer: GPUBuffer): boolean {
    return this.recorder.pending > 0 && this.#releasedDuringSubmit.get(buffer) === this.recorder.submits;
  }

  /** Counts for tests and `msse inspect`: buffers and bytes created, requests served by reuse, buffers leased now. */
  get stats(): { created: number; createdBytes: number; reused: number; leased: number } {
    return { created: this.#created, createdBytes: this.#createdBytes, reused: this.#reused, leased: this.#leased.size };
  }
}
