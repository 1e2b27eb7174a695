import { describe, test } from 'vitest';
import { openWasmBackend, openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { expectParity, inferenceChecks, REDUCE_CASES, trainingChecks, useBackend } from '../../support/backend-parity.ts';

describe('reduce-sum family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(REDUCE_CASES)('x $shape, axis $attrs.axis count $attrs.count: forward', async (c) => expectParity(await inferenceChecks.reduceSum(backend(), c)));
});

describe('reduce-sum training kernel on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmBackend({ poisonOutputs: true }));

  test.each(REDUCE_CASES)('x $shape, $attrs: backward', async (c) => expectParity(await trainingChecks.reduceSum(backend(), c, false)));
  test.each(REDUCE_CASES)('x $shape, $attrs: backward with addend', async (c) => expectParity(await trainingChecks.reduceSum(backend(), c, true)));
});
