import { describe, test } from 'vitest';
import { openWasmBackend, openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { CONCAT_CASES, expectParity, inferenceChecks, SLICE_CASES, trainingChecks, useBackend } from '../../support/backend-parity.ts';

describe('concat family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(CONCAT_CASES)('parts $parts along axis $axis: forward, exact', async (c) => expectParity(await inferenceChecks.concat(backend(), c)));
});

describe('concat training kernel on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmBackend({ poisonOutputs: true }));

  test.each(SLICE_CASES)('x $shape, $attrs: slice', async (c) => expectParity(await trainingChecks.concatSlice(backend(), c)));
});
