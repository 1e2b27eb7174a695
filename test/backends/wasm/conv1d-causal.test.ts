import { describe, test } from 'vitest';
import { openWasmBackend, openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { CONV1D_CASES, expectParity, inferenceChecks, trainingChecks, useBackend } from '../../support/backend-parity.ts';

describe('conv1d-causal family on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmInference({ poisonOutputs: true }));

  test.each(CONV1D_CASES)('B=$batch T=$time Cin=$cin Cout=$cout K=$attrs.taps d=$attrs.dilation: forward', async (c) =>
    expectParity(await inferenceChecks.conv1dCausal(backend(), c)),
  );
});

describe('conv1d-causal training kernels on wasm against the reference backend, outputs poisoned', () => {
  const backend = useBackend(() => openWasmBackend({ poisonOutputs: true }));

  test.each(CONV1D_CASES)('B=$batch T=$time Cin=$cin Cout=$cout $attrs: backwardInput, backwardWeight', async (c) => expectParity(await trainingChecks.conv1dCausal(backend(), c)));
});
