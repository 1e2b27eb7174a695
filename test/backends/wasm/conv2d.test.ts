import { describe, test } from 'vitest';
import { openWasmBackend, openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { CONV2D_CASES, expectParity, inferenceChecks, trainingChecks, useBackend } from '../../support/backend-parity.ts';

describe('conv2d family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(CONV2D_CASES)('x $x, C=$chans, $kernel.kh x $kernel.kw: forward', async (c) => expectParity(await inferenceChecks.conv2d(backend(), c)));
});

describe('conv2d training kernels on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmBackend({ poisonOutputs: true }));

  test.each(CONV2D_CASES)('x $x, C=$chans, $kernel: backwardInput, backwardWeight', async (c) => expectParity(await trainingChecks.conv2d(backend(), c)));
});
