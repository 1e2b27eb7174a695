import { describe, test } from 'vitest';
import { openWasmBackend, openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { expectParity, inferenceChecks, trainingChecks, useBackend, WEIGHTED_SUM_SHAPES } from '../../support/backend-parity.ts';

describe('weighted-sum family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(WEIGHTED_SUM_SHAPES.map((shape) => ({ shape })))('g $shape: forward', async ({ shape }) => expectParity(await inferenceChecks.weightedSum(backend(), shape)));
});

describe('weighted-sum training kernels on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmBackend({ poisonOutputs: true }));

  test.each(WEIGHTED_SUM_SHAPES.map((shape) => ({ shape })))('g $shape: backwardInput, backwardWeight', async ({ shape }) => expectParity(await trainingChecks.weightedSum(backend(), shape)));
});
