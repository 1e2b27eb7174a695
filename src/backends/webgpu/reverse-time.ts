import type { InferenceKernels } from '../../runtime/backend.ts';
import { numElements } from '../../runtime/tensor.ts';
import { packParams, type ParamsFields } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/reverse-time.wgsl, field for field. */
export const params = [
  ['total', 'u32'],
  ['time', 'u32'],
  ['rest', 'u32'],
] as const satisfies ParamsFields;

/** The reverseTime family of the Backend interface (src/runtime/backend.ts) on GPU tensors: axis 1 reversed. */
export function reverseTimeInference(g: GpuTensors): InferenceKernels['reverseTime'] {
  return {
    forward(x) {
      const y = g.output(x.shape, 'reverse-time.y');
      const values = { total: x.numElements, time: x.shape[1]!, rest: numElements(x.shape.slice(2)) };
      g.run('reverse-time', 'forward', packParams(params, values), [x, y], x.numElements);
      return y;
    },
  };
}
