import { describe, expect, test } from 'vitest';
import { openBackend } from '../../src/platform/node/backends.ts';
import { readFixture } from '../../src/platform/node/fixture.ts';
import { checkFixture } from '../../src/check/golden-check.ts';
import { sharedPath } from '../support/paths.ts';

// The whole network on the WebAssembly backend (kernels/network) against both golden fixtures: forward, backward,
// the BatchNorm running update and one Adam step, every kernel output NaN-poisoned before its kernel runs; on one
// thread and on two (the kernels split by sample and reduce in parts, src/backends/wasm/parts.ts).
describe.each(['msse-tiny', 'msse'])('golden fixture %s on the wasm backend', (name) => {
  test.each([1, 2])('every group within the README tolerances, %i thread(s)', async (threads) => {
    const fixture = await readFixture(sharedPath('golden', name));
    const open = await openBackend('wasm', { poisonOutputs: true, threads });
    try {
      const result = await checkFixture(fixture, open.backend);
      expect(result.backend).toBe('wasm');
      for (const g of result.groups) expect(g.ok, `${g.name}: ${g.worst} > ${g.tolerance} (${g.worstTensor})`).toBe(true);
    } finally {
      open.close();
    }
  }, 120_000);
});
