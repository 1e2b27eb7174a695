import type { InferenceKernels } from '../../runtime/backend.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * The batch-norm family's inference kernel on wasm tensors (kernels/network/batch-norm.ts): the given statistics,
 * channels-last, x seen as (rows, C). Scratch holds the per-channel factors laid out for the channel walk.
 */
export function batchNormInference(w: WasmTensors): InferenceKernels['batchNorm'] {
  const k = w.kernels;
  return {
    forwardInference(x, gamma, beta, runningMean, runningVar, { eps }) {
      const chans = x.shape[x.shape.length - 1]!;
      const y = w.output(x.shape, 'batch-norm.y');
      w.withScratch(k.batchNormScratchBytes(chans), (scratch) =>
        k.batchNormForwardInference(
          w.ptr(x), w.ptr(gamma), w.ptr(beta), w.ptr(runningMean), w.ptr(runningVar), w.ptr(y), scratch,
          x.numElements / chans, chans, eps,
        ),
      );
      return y;
    },
  };
}
