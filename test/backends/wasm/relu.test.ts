import { describe, test } from 'vitest';
import { openWasmBackend, openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { ELEMENTWISE_SHAPES, expectParity, inferenceChecks, trainingChecks, useBackend } from '../../support/backend-parity.ts';

describe('relu family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(ELEMENTWISE_SHAPES.map((shape) => ({ shape })))('shape $shape: forward', async ({ shape }) => expectParity(await inferenceChecks.relu(backend(), shape)));
});

describe('relu training kernel on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmBackend({ poisonOutputs: true }));

  test.each(ELEMENTWISE_SHAPES.map((shape) => ({ shape })))('$shape: backward', async ({ shape }) => expectParity(await trainingChecks.relu(backend(), shape)));
});
