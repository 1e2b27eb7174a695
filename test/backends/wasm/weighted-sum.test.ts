import { describe, test } from 'vitest';
import { openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { WEIGHTED_SUM_SHAPES, expectParity, inferenceChecks, useBackend } from '../../support/backend-parity.ts';

describe('weighted-sum family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(WEIGHTED_SUM_SHAPES.map((shape) => ({ shape })))('g $shape: forward', async ({ shape }) => expectParity(await inferenceChecks.weightedSum(backend(), shape)));
});
