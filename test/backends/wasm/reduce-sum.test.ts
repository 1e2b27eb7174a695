import { describe, test } from 'vitest';
import { openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { REDUCE_CASES, expectParity, inferenceChecks, useBackend } from '../../support/backend-parity.ts';

describe('reduce-sum family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(REDUCE_CASES)('x $shape, axis $attrs.axis count $attrs.count: forward', async (c) => expectParity(await inferenceChecks.reduceSum(backend(), c)));
});
