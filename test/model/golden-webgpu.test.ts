import { describe, expect, test } from 'vitest';
import { openBackend } from '../../src/platform/node/backends.ts';
import { readFixture } from '../../src/platform/node/fixture.ts';
import { checkFixture } from '../../src/check/golden-check.ts';
import type { Fixture } from '../../src/io/fixture.ts';
import { msseForward, msseLoss } from '../../src/model/msse.ts';
import { bufferSpecs, paramSpecs } from '../../src/model/params.ts';
import { recordTrainingStep, transientZeroMoments } from '../../src/model/step.ts';
import type { Backend } from '../../src/runtime/backend.ts';
import { ParamStore } from '../../src/runtime/params.ts';
import { Tape } from '../../src/runtime/tape.ts';
import { OP_GRADIENTS } from '../../src/ops/gradients.ts';
import { sharedPath } from '../support/paths.ts';

// The whole network in WGSL (software WebGPU in CI) against both golden fixtures, with every kernel output
// NaN-poisoned before its kernel runs: an unwritten element anywhere in the step fails a group.
describe.each(['msse-tiny', 'msse'])('golden fixture %s on the webgpu backend', (name) => {
  test('every group within the README tolerances', async () => {
    const fixture = await readFixture(sharedPath('golden', name));
    const open = await openBackend('webgpu', { poisonOutputs: true });
    try {
      const result = await checkFixture(fixture, open.backend);
      for (const g of result.groups) expect(g.ok, `${g.name}: ${g.worst} > ${g.tolerance} (${g.worstTensor})`).toBe(true);
      // One command buffer per read-back, not one per dispatch: the step is recorded, then submitted.
      expect(open.tensors!.ctx.recorder.submits).toBeLessThan(open.tensors!.ctx.pool.stats.created);
    } finally {
      open.close();
    }
  }, 120_000);
});

/** The fixture's parameters and buffers on `backend`. */
function fixtureStore(fixture: Fixture, backend: Backend): ParamStore {
  const store = new ParamStore();
  for (const spec of paramSpecs(fixture.config)) store.addParam(spec.name, backend.upload(fixture.tensors.get(spec.name)!.data, spec.shape));
  for (const spec of bufferSpecs(fixture.config)) store.addBuffer(spec.name, backend.upload(fixture.tensors.get(spec.name)!.data, spec.shape));
  return store;
}

describe('a training step on the webgpu backend', () => {
  test('frees tensors as backward goes: the same gradients bit for bit, every output poisoned, in about half the memory', async () => {
    const fixture = await readFixture(sharedPath('golden', 'msse'));
    const run = async (release: boolean) => {
      const open = await openBackend('webgpu', { poisonOutputs: true });
      try {
        const { backend } = open;
        const store = fixtureStore(fixture, backend);
        const x = backend.upload(fixture.tensors.get('x')!.data, fixture.tensors.get('x')!.shape, 'x', { transient: true });
        const tape = new Tape(backend, OP_GRADIENTS);
        const { logits } = msseForward(tape, fixture.config, store, x, { training: true, dropout: { seed: 3, step: 1 } });
        const { loss, probs } = msseLoss(tape, fixture.config, logits, fixture.tensors.get('labels')!.data);
        const grads = tape.backward(loss, release ? { release: { keep: [probs] } } : {});
        const values = [await backend.read(loss), await backend.read(probs)];
        for (const param of store.params.values()) values.push(await backend.read(grads.get(param)!));
        return { values, bytes: open.tensors!.ctx.pool.stats.createdBytes };
      } finally {
        open.close();
      }
    };
    const kept = await run(false);
    const freed = await run(true);
    expect(freed.values).toEqual(kept.values);
    expect(kept.values.flatMap((v) => [...v]).every(Number.isFinite)).toBe(true);
    expect(freed.bytes).toBeLessThan(0.6 * kept.bytes); // 143 MB against 273 MB when written
  }, 120_000);

  test('is one command buffer: recorded whole, submitted at the read of its loss', async () => {
    const fixture = await readFixture(sharedPath('golden', 'msse-tiny'));
    const open = await openBackend('webgpu');
    try {
      const { backend } = open;
      const store = fixtureStore(fixture, backend);
      const x = backend.upload(fixture.tensors.get('x')!.data, fixture.tensors.get('x')!.shape, 'x', { transient: true });
      const { recorder } = open.tensors!.ctx;
      const before = recorder.submits;
      const { loss } = recordTrainingStep(backend, fixture.config, store, x, fixture.tensors.get('labels')!.data, { seed: 1, t: 1 }, transientZeroMoments(backend));
      expect(recorder.submits).toBe(before);
      expect(recorder.pending).toBeGreaterThan(300);
      const [value] = await backend.read(loss!);
      expect(recorder.submits).toBe(before + 1);
      expect(value).toBeCloseTo(Math.log(7), 1);
      backend.releaseTransients();
    } finally {
      open.close();
    }
  }, 60_000);
});
