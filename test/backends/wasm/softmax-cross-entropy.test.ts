import { describe, test } from 'vitest';
import { openWasmBackend } from '../../../src/platform/node/wasm-backend.ts';
import { expectParity, SOFTMAX_SHAPES, trainingChecks, useBackend } from '../../support/backend-parity.ts';

describe('softmax-cross-entropy family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmBackend({ poisonOutputs: true }));

  test.each(SOFTMAX_SHAPES.map((shape) => ({ shape })))('logits $shape: forward, backward', async ({ shape }) => expectParity(await trainingChecks.softmaxCrossEntropy(backend(), shape)));
});
