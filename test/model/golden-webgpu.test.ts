import { describe, expect, test } from 'vitest';
import { openBackend } from '../../src/backends/open-node.ts';
import { loadFixture } from '../../src/io/fixture.ts';
import { checkFixture } from '../../src/io/golden-check.ts';
import { bufferSpecs, paramSpecs } from '../../src/model/params.ts';
import { recordTrainingStep, transientZeroMoments } from '../../src/model/step.ts';
import { ParamStore } from '../../src/runtime/params.ts';
import { sharedPath } from '../support/paths.ts';

// The whole network in WGSL (software WebGPU in CI) against both golden fixtures, with every kernel output
// NaN-poisoned before its kernel runs: an unwritten element anywhere in the step fails a group.
describe.each(['msse-tiny', 'msse'])('golden fixture %s on the webgpu backend', (name) => {
  test('every group within the README tolerances', async () => {
    const fixture = await loadFixture(sharedPath('golden', name));
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

describe('a training step on the webgpu backend', () => {
  test('is one command buffer: recorded whole, submitted at the read of its loss', async () => {
    const fixture = await loadFixture(sharedPath('golden', 'msse-tiny'));
    const open = await openBackend('webgpu');
    try {
      const { backend } = open;
      const store = new ParamStore();
      for (const spec of paramSpecs(fixture.config)) store.addParam(spec.name, backend.upload(fixture.tensors.get(spec.name)!.data, spec.shape));
      for (const spec of bufferSpecs(fixture.config)) store.addBuffer(spec.name, backend.upload(fixture.tensors.get(spec.name)!.data, spec.shape));
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
