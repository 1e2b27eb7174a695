import { InternalError, invariant } from '../../errors.ts';
import type { UploadOptions } from '../../runtime/backend.ts';
import { formatShape, numElements, Tensor, type Shape } from '../../runtime/tensor.ts';
import type { NetworkExports } from './exports.ts';
import { WasmHeap, type Block } from './heap.ts';
import type { WasmThreads } from './threads.ts';

/** What a wasm tensor's `storage` holds: its block of linear memory. Views share it, so it is freed once. */
export interface WasmStorage {
  readonly block: Block;
}

export interface WasmTensorOptions {
  /**
   * NaN-fill every kernel output and scratch block (the whole block, alignment slack included) before its kernel
   * runs, so an element a kernel forgot, or a scratch value read before it is written, shows (tests).
   */
  readonly poisonOutputs?: boolean;
}

/**
 * Tensors in one instance's linear memory and the one way kernels get at them. Each family module
 * (src/backends/wasm/<family>.ts) takes `output` (a fresh ARENA block), `scratch` (a block its kernel may use for
 * the call, freed right after), `ptr` (a tensor's byte address) and the module's exports in `kernels`. Kernels
 * run as they are called; values cross to JS only in `upload` and `read`. K: the module's exports (the inference
 * module's, or build/network-train.wasm's for the training kernels).
 */
export class WasmTensors<K extends NetworkExports = NetworkExports> {
  readonly heap: WasmHeap;
  /** Blocks releaseTransients frees: kernel outputs and transient uploads (scratch is freed by its kernel). */
  readonly #transients = new Set<Block>();
  #f32: Float32Array;

  constructor(
    readonly kernels: K,
    private readonly options: WasmTensorOptions = {},
    /** The workers that share this instance's memory (none: every kernel runs on this thread). */
    readonly threads?: WasmThreads,
  ) {
    this.heap = new WasmHeap(kernels.memory, kernels.heapBase());
    this.#f32 = new Float32Array(kernels.memory.buffer);
  }

  /** A view of all linear memory, re-created after memory.grow (which detaches the old buffer). */
  get f32(): Float32Array {
    if (this.#f32.buffer !== this.kernels.memory.buffer) this.#f32 = new Float32Array(this.kernels.memory.buffer);
    return this.#f32;
  }

  /** A new transient tensor of `shape` for a kernel to write. */
  output(shape: Shape, label: string): Tensor {
    const block = this.heap.allocTransient(numElements(shape) * 4);
    this.#transients.add(block);
    this.#poison(block);
    return new Tensor(shape, { block } satisfies WasmStorage, label);
  }

  /** Runs `use` with the address of a scratch block of `bytes`, then frees it. */
  withScratch<T>(bytes: number, use: (ptr: number) => T): T {
    const block = this.#scratchBlock(bytes);
    try {
      return use(block.offset);
    } finally {
      this.heap.free(block);
    }
  }

  /**
   * Runs export `name` over items [0, count) in contiguous ranges, one per thread: each range [lo, hi) calls
   * kernels[name](...argsFor(lo, hi, scratch)), scratch being a block of scratchBytes(hi − lo) bytes of its own
   * (0: none). Range bounds are multiples of `grain` (work too small to share stays on one thread). Items must be
   * independent (an item's results depend on that item alone, computed the same way in any range), so the bits are
   * the same whatever the thread count.
   */
  parallel(
    name: string,
    count: number,
    scratchBytes: (items: number) => number,
    argsFor: (lo: number, hi: number, scratch: number) => readonly number[],
    grain = 1,
  ): void {
    if (count <= 0) return;
    const kernel = (this.kernels as unknown as Record<string, unknown>)[name];
    invariant(typeof kernel === 'function', `wasm: the module exports no kernel "${name}"`);
    const call = kernel as (...args: readonly number[]) => unknown;
    const ranges = splitRange(count, this.threads?.count ?? 1, grain);
    // Scratch first: allocating may grow memory, which must not happen while workers run.
    const blocks = ranges.map(([lo, hi]) => {
      const bytes = scratchBytes(hi - lo);
      return bytes > 0 ? this.#scratchBlock(bytes) : undefined;
    });
    try {
      const rows = ranges.map(([lo, hi], i) => argsFor(lo, hi, blocks[i]?.offset ?? 0));
      if (this.threads === undefined) call(...rows[0]!);
      else this.threads.run(name, rows, (row) => call(...row));
    } finally {
      for (const block of blocks) if (block !== undefined) this.heap.free(block);
    }
  }

  /** The byte address of a tensor of this backend, checked live. */
  ptr(tensor: Tensor): number {
    const storage = tensor.storage as WasmStorage | undefined;
    invariant(storage?.block !== undefined, `tensor ${tensor.name ?? ''} is not a wasm tensor`);
    if (storage.block.freed) throw new InternalError(`wasm: tensor ${tensor.name ?? ''} ${formatShape(tensor.shape)} used after it was freed`);
    return storage.block.offset;
  }

  /** The byte address of element `index` (row-major) of a tensor of this backend: where a range of items starts. */
  at(tensor: Tensor, index: number): number {
    return this.ptr(tensor) + 4 * index;
  }

  /** A tensor holding `values` (rounded to f32): persistent, or transient like a kernel output. */
  upload(values: ArrayLike<number>, shape: Shape, name = 'upload', options: UploadOptions = {}): Tensor {
    invariant(values.length === numElements(shape), `upload ${name}: ${values.length} values for shape ${formatShape(shape)}`);
    const transient = options.transient === true;
    const block = transient ? this.heap.allocTransient(values.length * 4) : this.heap.allocPersistent(values.length * 4);
    if (transient) this.#transients.add(block);
    this.f32.set(values, block.offset / 4);
    return new Tensor(shape, { block } satisfies WasmStorage, name);
  }

  /** A copy of the tensor's values. Kernels have already run (they run when called). */
  read(tensor: Tensor): Float32Array {
    const offset = this.ptr(tensor) / 4;
    return this.f32.slice(offset, offset + tensor.numElements);
  }

  /** Frees every kernel output and transient upload: the end of a step. */
  releaseTransients(): void {
    for (const block of this.#transients) block.freed = true;
    this.#transients.clear();
    this.heap.reset();
  }

  /** Frees a persistent tensor. */
  dispose(tensor: Tensor): void {
    const { block } = tensor.storage as WasmStorage;
    invariant(block.persistent, `dispose ${tensor.name ?? ''}: transient tensors are released by releaseTransients()`);
    this.heap.free(block);
  }

  /** Frees a transient tensor before the step ends (once, however many views ask); persistent ones are kept. */
  release(tensor: Tensor): void {
    const { block } = tensor.storage as WasmStorage;
    if (this.#transients.delete(block)) this.heap.free(block);
  }

  #scratchBlock(bytes: number): Block {
    const block = this.heap.allocTransient(bytes);
    this.#poison(block);
    return block;
  }

  #poison(block: Block): void {
    if (this.options.poisonOutputs === true) this.kernels.fillF32(block.offset, block.sizeBytes / 4, NaN);
  }
}

/**
 * [0, count) cut into at most `parts` contiguous non-empty ranges of whole grains (the last may be short), as even
 * as grains allow.
 */
export function splitRange(count: number, parts: number, grain: number): [number, number][] {
  const grains = Math.ceil(count / grain);
  const n = Math.max(1, Math.min(parts, grains));
  const bound = (i: number) => Math.min(count, Math.floor((i * grains) / n) * grain);
  return Array.from({ length: n }, (_, i) => [bound(i), bound(i + 1)]);
}
