import { describe, test } from 'vitest';
import { openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { ELEMENTWISE_SHAPES, expectParity, inferenceChecks, useBackend } from '../../support/backend-parity.ts';

describe('sigmoid family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(ELEMENTWISE_SHAPES.map((shape) => ({ shape })))('shape $shape: forward', async ({ shape }) => expectParity(await inferenceChecks.sigmoid(backend(), shape)));
});
