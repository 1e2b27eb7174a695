import { describe, expect, test } from 'vitest';
import { BLOCK_ALIGN_BYTES, FIRST_PERSISTENT_BYTES, SLACK_BYTES, WasmHeap } from '../../../src/backends/wasm/heap.ts';

const PAGE = 65_536;
/** A memory like the module's, and a heap above a pretend static region of 1000 bytes. */
function heap(): { memory: WebAssembly.Memory; heap: WasmHeap } {
  const memory = new WebAssembly.Memory({ initial: 1 });
  return { memory, heap: new WasmHeap(memory, 1000) };
}

describe('WasmHeap: the persistent region and the arena in linear memory', () => {
  test('blocks are cache-line aligned, at least one line, above the static data, and never overlap', () => {
    const { heap: h } = heap();
    const blocks = [0, 1, 63, 64, 65, 1000].map((bytes) => h.allocTransient(bytes));
    for (const b of blocks) {
      expect(b.offset % BLOCK_ALIGN_BYTES).toBe(0);
      expect(b.sizeBytes).toBeGreaterThanOrEqual(BLOCK_ALIGN_BYTES);
      expect(b.offset).toBeGreaterThanOrEqual(1000);
    }
    const sorted = [...blocks].sort((a, b) => a.offset - b.offset);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.offset).toBeGreaterThanOrEqual(sorted[i - 1]!.offset + sorted[i - 1]!.sizeBytes);
  });

  test('reset frees every transient block at once; persistent blocks stay below the arena', () => {
    const { heap: h } = heap();
    const p = h.allocPersistent(100);
    const first = h.allocTransient(4096);
    h.allocTransient(4096);
    expect(p.offset).toBeLessThan(first.offset);
    h.reset();
    expect(h.allocTransient(4096).offset).toBe(first.offset);
    expect(h.allocPersistent(100).offset).toBe(p.offset + p.sizeBytes);
  });

  test('a freed block is reused, best fit first, and neighbours merge', () => {
    const { heap: h } = heap();
    const [a, b, c, d] = [640, 128, 256, 64].map((n) => h.allocTransient(n));
    h.free(b!);
    h.free(c!);
    // b and c merged into one 384-byte span: a 300-byte block takes its front.
    expect(h.allocTransient(300).offset).toBe(b!.offset);
    // 64 bytes are left of that span: a 64-byte block fits there exactly, not at the front of a's 640.
    h.free(a!);
    expect(h.allocTransient(64).offset).toBe(b!.offset + 320);
    expect(h.allocTransient(640).offset).toBe(a!.offset);
    expect(h.allocTransient(64).offset).toBe(d!.offset + d!.sizeBytes);
  });

  test('memory grows on demand, keeping SLACK_BYTES readable past the highest block', () => {
    const { memory, heap: h } = heap();
    const big = h.allocTransient(3 * PAGE + 5);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big.offset + big.sizeBytes + SLACK_BYTES);
    expect(h.memoryBytes).toBe(memory.buffer.byteLength);
  });

  test('a full persistent region moves the arena up while it is empty, and pins the block in the arena otherwise', () => {
    const { heap: h } = heap();
    const big = h.allocPersistent(FIRST_PERSISTENT_BYTES + 10);
    const t = h.allocTransient(64);
    expect(t.offset).toBeGreaterThanOrEqual(big.offset + big.sizeBytes);
    // The arena is in use now: this one goes to the arena and survives reset.
    const pinned = h.allocPersistent(FIRST_PERSISTENT_BYTES * 4);
    expect(pinned.offset).toBeGreaterThan(t.offset);
    h.reset();
    const after = h.allocTransient(64);
    expect(after.offset).toBe(t.offset);
    const above = h.allocTransient(FIRST_PERSISTENT_BYTES);
    expect(above.offset).toBeGreaterThanOrEqual(pinned.offset + pinned.sizeBytes);
    h.free(pinned);
    h.reset();
    expect(h.allocTransient(FIRST_PERSISTENT_BYTES).offset).toBe(t.offset);
  });

  test('memory that cannot grow is a one-line error naming the sizes', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 20 });
    const h = new WasmHeap(memory, 0);
    expect(() => h.allocTransient(8 * PAGE)).toThrowError('wasm backend: cannot grow memory from 1.06 to 1.56 MiB (WebAssembly allows at most 4096 MiB; the engine may allow less)');
  });
});
