import { MsseError, invariant } from '../../errors.ts';

/** Every block starts on a cache line (kernels/network/arena.ts). */
export const BLOCK_ALIGN_BYTES = 64;
/** Readable bytes kept past the highest block: a kernel may load a whole f32x4 reaching past a tensor's end. */
export const SLACK_BYTES = 64;
/** The persistent region's first size; it doubles when it must grow and the arena is empty. */
export const FIRST_PERSISTENT_BYTES = 1 << 20;
const PAGE_BYTES = 65_536;

/** One allocation in linear memory: [offset, offset + sizeBytes). */
export interface Block {
  readonly offset: number;
  readonly sizeBytes: number;
  /** Freed by releaseTransients (transient) or only by free (persistent, wherever it lies). */
  readonly persistent: boolean;
  /** Set when the block is freed: a tensor still pointing here is a use after free. */
  freed: boolean;
}

/** Free spans of one region, sorted by offset, adjacent spans merged; `top` is the end of the highest block. */
class Region {
  private readonly spans: { offset: number; sizeBytes: number }[] = [];
  top: number;

  constructor(public start: number) {
    this.top = start;
  }

  /** The smallest free span that fits (its front), or undefined. */
  takeFree(sizeBytes: number): number | undefined {
    let best = -1;
    for (let i = 0; i < this.spans.length; i++) {
      const s = this.spans[i]!;
      if (s.sizeBytes >= sizeBytes && (best < 0 || s.sizeBytes < this.spans[best]!.sizeBytes)) best = i;
    }
    if (best < 0) return undefined;
    const span = this.spans[best]!;
    const offset = span.offset;
    if (span.sizeBytes === sizeBytes) this.spans.splice(best, 1);
    else this.spans[best] = { offset: offset + sizeBytes, sizeBytes: span.sizeBytes - sizeBytes };
    return offset;
  }

  /** Returns [offset, offset + size) to the free spans, merging neighbours; a span ending at `top` lowers it. */
  give(offset: number, sizeBytes: number): void {
    let i = 0;
    while (i < this.spans.length && this.spans[i]!.offset < offset) i++;
    let start = offset;
    let end = offset + sizeBytes;
    const before = this.spans[i - 1];
    if (before !== undefined && before.offset + before.sizeBytes === start) {
      start = before.offset;
      this.spans.splice(--i, 1);
    }
    const after = this.spans[i];
    if (after !== undefined && after.offset === end) {
      end = after.offset + after.sizeBytes;
      this.spans.splice(i, 1);
    }
    if (end === this.top) this.top = start;
    else this.spans.splice(i, 0, { offset: start, sizeBytes: end - start });
  }

  /** Forgets every block: the region is one free run from `start`. */
  clear(): void {
    this.spans.length = 0;
    this.top = this.start;
  }

  get empty(): boolean {
    return this.top === this.start;
  }
}

/**
 * The wasm backend's layout of linear memory above the module's static data (kernels/network/arena.ts): a
 * PERSISTENT region (uploads kept until freed; best-fit over freed spans, else the next bytes) and above it the
 * ARENA (kernel outputs, transient uploads, kernel scratch; the same allocation, and `reset` frees them all at
 * once). Memory grows on demand; the caller re-creates its views after a growth (WasmTensors does, lazily).
 * When the persistent region is full it moves its end up while the arena is empty (doubling), else the block goes
 * to the arena, kept there across resets until freed.
 */
export class WasmHeap {
  readonly #memory: WebAssembly.Memory;
  readonly #persistent: Region;
  readonly #arena: Region;
  /** Persistent blocks that had to go to the arena. */
  readonly #pinned = new Set<Block>();

  constructor(memory: WebAssembly.Memory, heapBase: number) {
    this.#memory = memory;
    const base = alignUp(heapBase, BLOCK_ALIGN_BYTES);
    this.#persistent = new Region(base);
    this.#arena = new Region(base + FIRST_PERSISTENT_BYTES);
    this.#ensure(this.#arena.start);
  }

  /** Bytes of linear memory now (the most the backend has used, rounded to pages). */
  get memoryBytes(): number {
    return this.#memory.buffer.byteLength;
  }

  /** A persistent block of at least `bytes`. */
  allocPersistent(bytes: number): Block {
    const size = blockSize(bytes);
    const region = this.#persistent;
    let offset = region.takeFree(size);
    if (offset === undefined && region.top + size <= this.#arena.start) offset = bump(region, size);
    if (offset === undefined && this.#arena.empty && this.#pinned.size === 0) {
      const grown = Math.max(region.top + size, this.#arena.start + (this.#arena.start - region.start));
      this.#arena.start = this.#arena.top = grown;
      this.#ensure(grown);
      offset = bump(region, size);
    }
    if (offset === undefined) {
      const block = this.#arenaBlock(size, true);
      this.#pinned.add(block);
      return block;
    }
    return { offset, sizeBytes: size, persistent: true, freed: false };
  }

  /** A transient block of at least `bytes`, freed by `reset` or `free`. */
  allocTransient(bytes: number): Block {
    return this.#arenaBlock(blockSize(bytes), false);
  }

  /** Frees a block now (no effect on one already freed). */
  free(block: Block): void {
    if (block.freed) return;
    block.freed = true;
    if (block.persistent && !this.#pinned.delete(block)) this.#persistent.give(block.offset, block.sizeBytes);
    else this.#arena.give(block.offset, block.sizeBytes);
  }

  /**
   * Frees every transient block at once (the caller marks its blocks freed). Persistent blocks in the arena stay:
   * the gaps between them become free spans.
   */
  reset(): void {
    const arena = this.#arena;
    arena.clear();
    if (this.#pinned.size === 0) return;
    const pinned = [...this.#pinned].sort((a, b) => a.offset - b.offset);
    const last = pinned[pinned.length - 1]!;
    arena.top = last.offset + last.sizeBytes;
    let at = arena.start;
    for (const block of pinned) {
      if (block.offset > at) arena.give(at, block.offset - at);
      at = block.offset + block.sizeBytes;
    }
  }

  #arenaBlock(size: number, persistent: boolean): Block {
    const arena = this.#arena;
    const offset = arena.takeFree(size) ?? bump(arena, size);
    this.#ensure(arena.top);
    return { offset, sizeBytes: size, persistent, freed: false };
  }

  /** Grows memory so that [0, end + SLACK_BYTES) is addressable. */
  #ensure(end: number): void {
    const have = this.#memory.buffer.byteLength;
    const need = end + SLACK_BYTES;
    if (need <= have) return;
    const pages = Math.ceil((need - have) / PAGE_BYTES);
    try {
      this.#memory.grow(pages);
    } catch (cause) {
      throw new MsseError(
        `wasm backend: cannot grow memory from ${mib(have)} to ${mib(have + pages * PAGE_BYTES)} MiB (WebAssembly allows at most 4096 MiB; the engine may allow less)`,
        { cause },
      );
    }
  }
}

function bump(region: Region, size: number): number {
  const offset = region.top;
  region.top += size;
  return offset;
}

function blockSize(bytes: number): number {
  invariant(Number.isInteger(bytes) && bytes >= 0, `wasm heap: block of ${bytes} bytes`);
  return Math.max(BLOCK_ALIGN_BYTES, alignUp(bytes, BLOCK_ALIGN_BYTES));
}

function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(2);
}
