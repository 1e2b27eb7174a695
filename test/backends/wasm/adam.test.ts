import { describe, test } from 'vitest';
import { openWasmBackend } from '../../../src/platform/node/wasm-backend.ts';
import { ADAM_SHAPES, expectParity, trainingChecks, useBackend } from '../../support/backend-parity.ts';

describe('adam on wasm against the reference backend', () => {
  const backend = useBackend(() => openWasmBackend({ poisonOutputs: true }));

  test.each(ADAM_SHAPES.map((shape) => ({ shape })))('param $shape: two steps in place', async ({ shape }) => expectParity(await trainingChecks.adam(backend(), shape)));
});
