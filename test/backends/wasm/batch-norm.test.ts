import { describe, test } from 'vitest';
import { openWasmBackend, openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { BATCH_NORM_SHAPES, expectParity, inferenceChecks, trainingChecks, useBackend } from '../../support/backend-parity.ts';

describe('batch-norm family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(BATCH_NORM_SHAPES.map((shape) => ({ shape })))('x $shape: forwardInference', async ({ shape }) => expectParity(await inferenceChecks.batchNorm(backend(), shape)));
});

describe('batch-norm training kernels on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmBackend({ poisonOutputs: true }));

  test.each(BATCH_NORM_SHAPES.map((shape) => ({ shape })))('x $shape: forwardTrain (± ReLU-dropout tail), backward, updateRunning', async ({ shape }) =>
    expectParity(await trainingChecks.batchNorm(backend(), shape)),
  );
});
