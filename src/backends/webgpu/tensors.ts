import { invariant } from '../../errors.ts';
import type { UploadOptions } from '../../runtime/backend.ts';
import { numElements, Tensor, type Shape } from '../../runtime/tensor.ts';
import { dispatch, type DispatchContext } from './dispatch.ts';
import { poison } from './poison.ts';
import { readback, upload } from './transfer.ts';

/**
 * What a WebGPU tensor's `storage` holds. Kernel outputs are transient: their buffers go back to the pool at
 * `releaseTransients()` (the end of a step), or earlier by `release`. Uploaded tensors (parameters, optimizer
 * moments, inputs) persist until `dispose`. Views share the storage object, so a buffer is released once however
 * many views exist.
 */
export interface GpuStorage {
  readonly buffer: GPUBuffer;
  readonly transient: boolean;
}

export interface GpuTensorOptions {
  /** NaN-fill every kernel output before its kernel runs, so an element a kernel forgot shows (tests). */
  readonly poisonOutputs?: boolean;
}

/**
 * Tensors on one device and the one way kernels run on them. Each family module (src/backends/webgpu/<family>.ts)
 * builds its kernels from `output` (a fresh pooled buffer), `buffer` (a tensor's GPUBuffer) and `run` (records a
 * dispatch); nothing is submitted until a read-back, an upload or `releaseTransients`.
 */
export class GpuTensors {
  readonly #transients = new Set<GpuStorage>();

  constructor(
    readonly ctx: DispatchContext,
    private readonly options: GpuTensorOptions = {},
  ) {}

  /** A new transient tensor of `shape` for a kernel to write, labelled with the op's output name. */
  output(shape: Shape, label: string): Tensor {
    const buffer = this.ctx.pool.acquire(numElements(shape) * 4, label);
    if (this.options.poisonOutputs === true) poison(this.ctx, buffer, true);
    const storage: GpuStorage = { buffer, transient: true };
    this.#transients.add(storage);
    return new Tensor(shape, storage, label);
  }

  /** The GPUBuffer behind a tensor of this backend. */
  buffer(tensor: Tensor): GPUBuffer {
    const storage = tensor.storage as GpuStorage | undefined;
    invariant(storage?.buffer !== undefined, `tensor ${tensor.name ?? ''} is not a WebGPU tensor`);
    return storage.buffer;
  }

  /**
   * Records `entry` of shaders/<family>.wgsl over `total` invocations with `params` (packParams words) at binding 0
   * and the tensors' buffers at bindings 1, 2, … in order (inputs, then outputs).
   */
  run(family: string, entry: string, params: Uint32Array, tensors: readonly Tensor[], total: number): void {
    dispatch(this.ctx, family, entry, params, tensors.map((t) => this.buffer(t)), total, tensors.map((t) => t.shape));
  }

  /** A tensor holding `values` (rounded to f32): persistent, or transient like a kernel output. */
  upload(values: ArrayLike<number>, shape: Shape, name = 'upload', options: UploadOptions = {}): Tensor {
    invariant(values.length === numElements(shape), `upload ${name}: ${values.length} values for ${numElements(shape)} elements`);
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    const storage: GpuStorage = { buffer: upload(this.ctx, data, name), transient: options.transient === true };
    if (storage.transient) this.#transients.add(storage);
    return new Tensor(shape, storage, name);
  }

  /** The tensor's values, after all work recorded so far. */
  read(tensor: Tensor): Promise<Float32Array> {
    return readback(this.ctx, this.buffer(tensor), tensor.numElements);
  }

  /** Submits recorded work and returns every transient buffer to the pool: call once a step's results are used. */
  releaseTransients(): void {
    this.ctx.recorder.flush();
    for (const storage of this.#transients) this.ctx.pool.release(storage.buffer);
    this.#transients.clear();
  }

  /** Returns a persistent tensor's buffer to the pool; recorded work that uses it still runs first. */
  dispose(tensor: Tensor): void {
    const storage = tensor.storage as GpuStorage;
    invariant(!storage.transient, `dispose ${tensor.name ?? ''}: transient tensors are released by releaseTransients()`);
    this.ctx.pool.release(storage.buffer);
  }

  /** Returns a transient tensor's buffer to the pool before the step ends (once, however many views ask). */
  release(tensor: Tensor): void {
    const storage = tensor.storage as GpuStorage;
    if (this.#transients.delete(storage)) this.ctx.pool.release(storage.buffer);
  }
}
