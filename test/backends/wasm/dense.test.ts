import { describe, test } from 'vitest';
import { openWasmBackend, openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { DENSE_CASES, expectParity, inferenceChecks, PER_SAMPLE_SHAPES, trainingChecks, useBackend } from '../../support/backend-parity.ts';

describe('dense family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(DENSE_CASES)('x $x, w $w: forward', async (c) => expectParity(await inferenceChecks.dense(backend(), c)));
  test.each(PER_SAMPLE_SHAPES.map((shape) => ({ shape })))('per-sample weights, x $shape: forwardPerSample', async ({ shape }) => expectParity(await inferenceChecks.denseForwardPerSample(backend(), shape)));
});

describe('dense training kernels on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmBackend({ poisonOutputs: true }));

  test.each(DENSE_CASES)('x $x, w $w: backwardInput, backwardWeight', async (c) => expectParity(await trainingChecks.dense(backend(), c)));
  test.each([...PER_SAMPLE_SHAPES, [3, 300, 39]].map((shape) => ({ shape })))('per-sample weights, x $shape: backwardInputPerSample, backwardWeightPerSample', async ({ shape }) =>
    expectParity(await trainingChecks.densePerSample(backend(), shape)),
  );
  // More rows than one accumulation chunk (256), and a chunk boundary inside a sample.
  test.each([{ x: [3, 300, 39], w: [5, 39] }, { x: [2, 7, 117, 39], w: [1, 39, 1, 1] }])('x $x, w $w (several chunks): backwardInput, backwardWeight', async (c) =>
    expectParity(await trainingChecks.dense(backend(), c)),
  );
});
