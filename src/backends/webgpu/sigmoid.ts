import type { Kernels } from '../../runtime/backend.ts';
import { packParams, type ParamsFields } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/sigmoid.wgsl, field for field. */
export const params = [['total', 'u32']] as const satisfies ParamsFields;

/** The sigmoid family of the Backend interface (src/runtime/backend.ts) on GPU tensors. */
export function sigmoidKernels(g: GpuTensors): Kernels['sigmoid'] {
  return {
    forward(x) {
      const y = g.output(x.shape, 'sigmoid.y');
      g.run('sigmoid', 'forward', packParams(params, { total: x.numElements }), [x, y], x.numElements);
      return y;
    },
    backward(dy, y) {
      const dx = g.output(dy.shape, 'sigmoid.dx');
      g.run('sigmoid', 'backward', packParams(params, { total: dy.numElements }), [dy, y, dx], dy.numElements);
      return dx;
    },
  };
}
