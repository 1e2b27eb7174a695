import { describe, expect, test } from 'vitest';
import { referenceBackend } from '../../src/backends/reference/index.ts';
import { captureDispatches } from '../../src/backends/webgpu/profiler.ts';
import { runInference } from '../../src/infer/predict.ts';
import type { Fixture } from '../../src/io/fixture.ts';
import { fusedParamsFromStore } from '../../src/model/msse-fused.ts';
import { bufferSpecs, paramSpecs } from '../../src/model/params.ts';
import { openBackend } from '../../src/platform/node/backends.ts';
import { readFixture } from '../../src/platform/node/fixture.ts';
import { hasFusedKernels, type InferenceBackend } from '../../src/runtime/backend.ts';
import { ParamStore } from '../../src/runtime/params.ts';
import { sharedPath } from '../support/paths.ts';
import { relativeError } from '../../src/check/compare.ts';

// The fused inference forward (src/model/msse-fused.ts) against the unfused one, which is the definition: the same
// logits within 1e-5 relative (max|fused − unfused| / max|unfused|) on both golden fixtures' parameters and inputs,
// on the reference backend (fused kernels composed of the unfused ones), and on WebGPU and wasm with every output
// poisoned.

function fixtureStore(fixture: Fixture, backend: InferenceBackend): ParamStore {
  const store = new ParamStore();
  for (const spec of paramSpecs(fixture.config)) store.addParam(spec.name, backend.upload(fixture.tensors.get(spec.name)!.data, spec.shape));
  for (const spec of bufferSpecs(fixture.config)) store.addBuffer(spec.name, backend.upload(fixture.tensors.get(spec.name)!.data, spec.shape));
  return store;
}

async function fusedAgainstUnfused(fixture: Fixture, backend: InferenceBackend): Promise<{ fused: ArrayLike<number>; unfused: ArrayLike<number> }> {
  const store = fixtureStore(fixture, backend);
  const xHost = fixture.tensors.get('x')!;
  const x = backend.upload(xHost.data, xHost.shape, 'x');
  const unfused = await backend.read(runInference(backend, fixture.config, store, x).logits);
  backend.releaseTransients();
  const params = await fusedParamsFromStore(backend, fixture.config, store);
  const fused = await backend.read(runInference(backend, fixture.config, store, x, params).logits);
  backend.releaseTransients();
  return { fused, unfused };
}

describe.each(['msse-tiny', 'msse'])('fused inference forward, golden fixture %s', (name) => {
  test('reference: fused logits = unfused logits', async () => {
    const { fused, unfused } = await fusedAgainstUnfused(await readFixture(sharedPath('golden', name)), referenceBackend);
    expect(relativeError(fused, unfused)).toBeLessThan(1e-5);
  }, 120_000);

  test('webgpu (outputs poisoned): fused logits = unfused logits', async () => {
    const open = await openBackend('webgpu', { poisonOutputs: true });
    try {
      const { fused, unfused } = await fusedAgainstUnfused(await readFixture(sharedPath('golden', name)), open.backend);
      expect(relativeError(fused, unfused)).toBeLessThan(1e-5);
    } finally {
      open.close();
    }
  }, 120_000);

  test('wasm (outputs poisoned): fused logits = unfused logits', async () => {
    const open = await openBackend('wasm', { poisonOutputs: true });
    try {
      expect(hasFusedKernels(open.backend)).toBe(true);
      const { fused, unfused } = await fusedAgainstUnfused(await readFixture(sharedPath('golden', name)), open.backend);
      expect(relativeError(fused, unfused)).toBeLessThan(1e-5);
    } finally {
      open.close();
    }
  }, 120_000);
});

describe('fused inference forward on webgpu', () => {
  test('a batch-1 forward is at most 30 dispatches', async () => {
    const fixture = await readFixture(sharedPath('golden', 'msse'));
    const open = await openBackend('webgpu');
    try {
      const { backend } = open;
      const store = fixtureStore(fixture, backend);
      const params = await fusedParamsFromStore(backend, fixture.config, store);
      const [, time, feat] = fixture.tensors.get('x')!.shape;
      const x = backend.upload(fixture.tensors.get('x')!.data.subarray(0, time! * feat!), [1, time!, feat!], 'x');
      const { result, records } = captureDispatches(open.tensors!.ctx, () => runInference(backend, fixture.config, store, x, params).logits);
      await backend.read(result);
      expect(records.length).toBeLessThanOrEqual(30);
    } finally {
      open.close();
    }
  }, 120_000);
});
