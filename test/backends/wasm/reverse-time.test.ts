import { describe, test } from 'vitest';
import { openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { REVERSE_TIME_SHAPES, expectParity, inferenceChecks, useBackend } from '../../support/backend-parity.ts';

describe('reverse-time family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(REVERSE_TIME_SHAPES.map((shape) => ({ shape })))('shape $shape: forward exact, and twice gives x back', async ({ shape }) => expectParity(await inferenceChecks.reverseTime(backend(), shape)));
});
