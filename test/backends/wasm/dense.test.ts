import { describe, test } from 'vitest';
import { openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { DENSE_CASES, PER_SAMPLE_SHAPES, expectParity, inferenceChecks, useBackend } from '../../support/backend-parity.ts';

describe('dense family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(DENSE_CASES)('x $x, w $w: forward', async (c) => expectParity(await inferenceChecks.dense(backend(), c)));
  test.each(PER_SAMPLE_SHAPES.map((shape) => ({ shape })))('per-sample weights, x $shape: forwardPerSample', async ({ shape }) => expectParity(await inferenceChecks.denseForwardPerSample(backend(), shape)));
});
