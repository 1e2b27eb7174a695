import { describe, test } from 'vitest';
import { openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { CONV1D_CASES, expectParity, inferenceChecks, useBackend } from '../../support/backend-parity.ts';

describe('conv1d-causal family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(CONV1D_CASES)('B=$batch T=$time Cin=$cin Cout=$cout K=$attrs.taps d=$attrs.dilation: forward', async (c) =>
    expectParity(await inferenceChecks.conv1dCausal(backend(), c)),
  );
});
