import { describe, expect, test } from 'vitest';
import { counterHash } from '../../../src/runtime/random.ts';
import { instantiateNetworkTrainingFile, openWasmBackend } from '../../../src/platform/node/wasm-backend.ts';
import { DROPOUT_ATTRS, DROPOUT_SHAPES, expectParity, trainingChecks, useBackend } from '../../support/backend-parity.ts';
import { mulberry32 } from '../../support/prng.ts';

describe('the counter hash in AssemblyScript (kernels/network/random.ts)', () => {
  test('equals src/runtime/random.ts on 20,000 seeded counters and the u32 edges', async () => {
    const kernels = await instantiateNetworkTrainingFile();
    const random = mulberry32(5);
    const u32 = () => Math.floor(random() * 2 ** 32);
    const edges = [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1];
    const cases: number[][] = [];
    for (const e of edges) cases.push([e, e, e, e, e], [e, 0, 1, 2, 3], [3, 2, 1, 0, e]);
    for (let n = 0; n < 20_000; n++) cases.push([u32(), u32() & 63, u32(), u32() & 127, u32() & 63]);
    for (const [seed, stream, step, i, j] of cases) {
      expect(kernels.counterHash(seed!, stream!, step!, i!, j!) >>> 0, `counterHash(${seed}, ${stream}, ${step}, ${i}, ${j})`).toBe(counterHash(seed!, stream!, step!, i!, j!));
    }
  });
});

describe('spatial-dropout family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmBackend({ poisonOutputs: true }));
  const cases = DROPOUT_SHAPES.flatMap((shape) => DROPOUT_ATTRS.map((attrs, a) => ({ shape, attrs, a })));

  test.each(cases)('x $shape, attrs #$a: forward, reluForward, reluBackward', async ({ shape, attrs }) => expectParity(await trainingChecks.spatialDropout(backend(), shape, attrs)));
});
