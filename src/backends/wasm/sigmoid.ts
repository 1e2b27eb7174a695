import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { NetworkTrainingExports } from './exports.ts';
import { elementwise } from './parts.ts';
import type { WasmTensors } from './tensors.ts';

/** The sigmoid family on wasm tensors (kernels/network/sigmoid.ts): y = 1 / (1 + exp(−x)). */
export function sigmoidInference(w: WasmTensors): InferenceKernels['sigmoid'] {
  return {
    forward(x) {
      const y = w.output(x.shape, 'sigmoid.y');
      w.kernels.sigmoidForward(w.ptr(x), w.ptr(y), x.numElements);
      return y;
    },
  };
}

/** sigmoid's backward: dx = dy · y · (1 − y), elements split over the threads. */
export function sigmoidTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['sigmoid'] {
  return {
    backward(dy, y) {
      const dx = w.output(y.shape, 'sigmoid.dx');
      elementwise(w, 'sigmoidBackward', y.numElements, [dy, y, dx]);
      return dx;
    },
  };
}
