import type { InferenceKernels } from '../../runtime/backend.ts';
import type { GpuTensors } from './tensors.ts';
import { runVectorMap, vectorMapParams } from './vector-map.ts';

/** `struct Params` of shaders/add.wgsl, field for field (the vec4 elementwise layout of vector-map.ts). */
export const params = vectorMapParams;

/** The add family of the Backend interface (src/runtime/backend.ts) on GPU tensors: y = a + b, same shapes. */
export function addInference(g: GpuTensors): InferenceKernels['add'] {
  return {
    forward(a, b) {
      const y = g.output(a.shape, 'add.y');
      runVectorMap(g, 'add', 'forward', [a, b, y], a.numElements);
      return y;
    },
  };
}
