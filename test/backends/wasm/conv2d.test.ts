import { describe, test } from 'vitest';
import { openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { CONV2D_CASES, expectParity, inferenceChecks, useBackend } from '../../support/backend-parity.ts';

describe('conv2d family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(CONV2D_CASES)('x $x, C=$chans, $kernel.kh x $kernel.kw: forward', async (c) => expectParity(await inferenceChecks.conv2d(backend(), c)));
});
