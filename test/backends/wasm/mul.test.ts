import { describe, test } from 'vitest';
import { openWasmBackend, openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { expectParity, inferenceChecks, MUL_CASES, trainingChecks, useBackend } from '../../support/backend-parity.ts';

describe('mul family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(MUL_CASES)('a $a, b broadcast $broadcast: forward', async (c) => expectParity(await inferenceChecks.mul(backend(), c)));
});

describe('mul training kernel on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmBackend({ poisonOutputs: true }));

  test.each(MUL_CASES)('a $a, broadcast $broadcast: backwardB', async (c) => expectParity(await trainingChecks.mul(backend(), c)));
});
