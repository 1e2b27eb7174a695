import type { TrainingKernels } from '../../runtime/backend.ts';
import { packParams, type ParamsFields } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/adam.wgsl, field for field. */
export const params = [
  ['total', 'u32'],
  ['stepSize', 'f32'],
  ['beta1', 'f32'],
  ['beta2', 'f32'],
  ['eps', 'f32'],
] as const satisfies ParamsFields;

/**
 * The adam family of the Backend interface (src/runtime/backend.ts) on GPU tensors: one step in place on
 * param, m and v (no outputs). Bound as grad (read) then param, m, v (read_write), inputs before outputs.
 */
export function adamTraining(g: GpuTensors): TrainingKernels['adam'] {
  return {
    step(param, grad, m, v, { stepSize, beta1, beta2, eps }) {
      const total = param.numElements;
      g.run('adam', 'step', packParams(params, { total, stepSize, beta1, beta2, eps }), [grad, param, m, v], total);
    },
  };
}
