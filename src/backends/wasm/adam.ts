import type { TrainingKernels } from '../../runtime/backend.ts';
import type { NetworkTrainingExports } from './exports.ts';
import type { WasmTensors } from './tensors.ts';

/** One Adam step in place on wasm tensors (kernels/network/adam.ts), each element in f64. */
export function adamTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['adam'] {
  return {
    step(param, grad, m, v, { stepSize, beta1, beta2, eps }) {
      w.kernels.adamStep(w.ptr(param), w.ptr(grad), w.ptr(m), w.ptr(v), param.numElements, stepSize, beta1, beta2, eps);
    },
  };
}
