import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { NetworkTrainingExports } from './exports.ts';
import { elementwise } from './parts.ts';
import type { WasmTensors } from './tensors.ts';

/** The relu family on wasm tensors (kernels/network/relu.ts): y = max(x, 0). */
export function reluInference(w: WasmTensors): InferenceKernels['relu'] {
  return {
    forward(x) {
      const y = w.output(x.shape, 'relu.y');
      w.kernels.reluForward(w.ptr(x), w.ptr(y), x.numElements);
      return y;
    },
  };
}

/** relu's backward: dx = dy where y > 0, else 0, elements split over the threads. */
export function reluTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['relu'] {
  return {
    backward(dy, y) {
      const dx = w.output(y.shape, 'relu.dx');
      elementwise(w, 'reluBackward', y.numElements, [dy, y, dx]);
      return dx;
    },
  };
}
