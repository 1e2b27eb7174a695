import { beforeAll, describe, expect, test } from 'vitest';
import { wasmInferenceOn } from '../../../src/backends/wasm/inference.ts';
import { WasmTensors, type WasmStorage } from '../../../src/backends/wasm/tensors.ts';
import { instantiateNetworkFile } from '../../../src/platform/node/wasm-backend.ts';
import type { InferenceBackend } from '../../../src/runtime/backend.ts';

describe('wasm tensors: upload, read, release, dispose and releaseTransients (BackendIO)', () => {
  let w: WasmTensors;
  let backend: InferenceBackend;
  beforeAll(async () => {
    w = new WasmTensors(await instantiateNetworkFile(), { poisonOutputs: true });
    backend = wasmInferenceOn(w);
  });
  const offset = (t: { storage: unknown }) => (t.storage as WasmStorage).block.offset;

  test("name 'wasm'; upload rounds to f32 and read copies back", async () => {
    expect(backend.name).toBe('wasm');
    const x = backend.upload([1.1, -2, 3], [3], 'x');
    expect(Array.from(await backend.read(x))).toEqual(Array.from(Float32Array.of(1.1, -2, 3)));
    backend.dispose(x);
  });

  test('a poisoned output is NaN until its kernel writes it, scratch included', async () => {
    const y = w.output([5], 'y');
    expect(Array.from(await backend.read(y)).every(Number.isNaN)).toBe(true);
    w.withScratch(64, (ptr) => expect(Number.isNaN(w.f32[ptr / 4]!)).toBe(true));
    backend.releaseTransients();
  });

  test('releaseTransients frees outputs and transient uploads, keeps persistent uploads; a freed tensor is an error', async () => {
    const kept = backend.upload([1, 2, 3, 4, 5], [5], 'kept');
    const x = backend.upload([1, 2, 3, 4, 5], [5], 'x', { transient: true });
    const y = backend.relu.forward(x);
    backend.releaseTransients();
    expect(Array.from(await backend.read(kept))).toEqual([1, 2, 3, 4, 5]);
    expect(() => backend.relu.forward(y)).toThrowError('wasm: tensor relu.y (5) used after it was freed');
    expect(() => backend.relu.forward(x.view([5, 1]))).toThrowError(/used after it was freed/);
    // The arena starts over: the next output takes the first transient's place.
    backend.releaseTransients();
    const again = backend.upload([0], [1], 'again', { transient: true });
    expect(offset(again)).toBe(offset(x));
    backend.releaseTransients();
    backend.dispose(kept);
  });

  test('release frees one output now (once, through any view); persistent tensors ignore it', async () => {
    const x = backend.upload([-1, 2], [2], 'x', { transient: true });
    const y = backend.relu.forward(x);
    backend.release(y.view([1, 2]));
    backend.release(y);
    const z = backend.sigmoid.forward(x);
    expect(offset(z)).toBe(offset(y));
    const p = backend.upload([7], [1], 'p');
    backend.release(p);
    expect(Array.from(await backend.read(p))).toEqual([7]);
    backend.dispose(p);
    backend.releaseTransients();
  });

  test('views made before memory grows read the grown memory', async () => {
    const x = backend.upload(Float32Array.from({ length: 1000 }, (_, i) => i), [1000], 'x');
    const before = w.heap.memoryBytes;
    const big = backend.upload(new Float32Array(8 << 20), [8 << 20], 'big', { transient: true });
    expect(w.heap.memoryBytes).toBeGreaterThan(before);
    expect((await backend.read(x))[999]).toBe(999);
    expect((await backend.read(big)).length).toBe(8 << 20);
    backend.releaseTransients();
    backend.dispose(x);
  });
});
