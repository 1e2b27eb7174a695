import type { Kernels } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import { vectorPasses } from './dispatch-size.ts';
import { packParams, type ParamsFields } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/sigmoid.wgsl, field for field. */
export const params = [
  ['vectors', 'u32'],
  ['stride', 'u32'],
  ['total', 'u32'],
] as const satisfies ParamsFields;

/** The sigmoid family of the Backend interface (src/runtime/backend.ts) on GPU tensors. */
export function sigmoidKernels(g: GpuTensors): Kernels['sigmoid'] {
  /** `entry` over the whole vec4s, then its tail entry for the last numElements % 4 elements. */
  const run = (entry: 'forward' | 'backward', tensors: readonly Tensor[], numElements: number): void => {
    const { passes, values } = vectorPasses(entry, numElements);
    const words = packParams(params, values);
    for (const [pass, invocations] of passes) g.run('sigmoid', pass, words, tensors, invocations);
  };
  return {
    forward(x) {
      const y = g.output(x.shape, 'sigmoid.y');
      run('forward', [x, y], x.numElements);
      return y;
    },
    backward(dy, y) {
      const dx = g.output(dy.shape, 'sigmoid.dx');
      run('backward', [dy, y, dx], dy.numElements);
      return dx;
    },
  };
}
