import { describe, test } from 'vitest';
import { openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { MUL_CASES, expectParity, inferenceChecks, useBackend } from '../../support/backend-parity.ts';

describe('mul family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(MUL_CASES)('a $a, b broadcast $broadcast: forward', async (c) => expectParity(await inferenceChecks.mul(backend(), c)));
});
