import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { GpuTensors } from './tensors.ts';
import { runVectorMap, vectorMapParams } from './vector-map.ts';

/** `struct Params` of shaders/sigmoid.wgsl, field for field. */
export const params = vectorMapParams;

/** The sigmoid family of the Backend interface (src/runtime/backend.ts) on GPU tensors. */
export function sigmoidInference(g: GpuTensors): InferenceKernels['sigmoid'] {
  return {
    forward(x) {
      const y = g.output(x.shape, 'sigmoid.y');
      runVectorMap(g, 'sigmoid', 'forward', [x, y], x.numElements);
      return y;
    },
  };
}

export function sigmoidTraining(g: GpuTensors): TrainingKernels['sigmoid'] {
  return {
    backward(dy, y) {
      const dx = g.output(dy.shape, 'sigmoid.dx');
      runVectorMap(g, 'sigmoid', 'backward', [dy, y, dx], dy.numElements);
      return dx;
    },
  };
}
