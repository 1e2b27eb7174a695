import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { packParams, type ParamsFields } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/weighted-sum.wgsl, field for field. */
export const params = [
  ['total', 'u32'],
  ['batch', 'u32'],
  ['n', 'u32'],
  ['chans', 'u32'],
] as const satisfies ParamsFields;

/**
 * The weightedSum family of the Backend interface (src/runtime/backend.ts) on GPU tensors: the pooled vectors
 * g (B, n, C) (`vectors` here, since `g` is the GpuTensors) and the weights w (n).
 */
export function weightedSumInference(g: GpuTensors): InferenceKernels['weightedSum'] {
  return {
    forward(vectors, w) {
      const [batch, n, chans] = [vectors.shape[0]!, vectors.shape[1]!, vectors.shape[2]!];
      const z = g.output([batch, chans], 'weighted-sum.z');
      const values = { total: z.numElements, batch, n, chans };
      g.run('weighted-sum', 'forward', packParams(params, values), [vectors, w, z], z.numElements);
      return z;
    },
  };
}

export function weightedSumTraining(g: GpuTensors): TrainingKernels['weightedSum'] {
  return {
    backwardInput(dz, w) {
      const [batch, chans, n] = [dz.shape[0]!, dz.shape[1]!, w.shape[0]!];
      const dg = g.output([batch, n, chans], 'weighted-sum.dg');
      const values = { total: dg.numElements, batch, n, chans };
      g.run('weighted-sum', 'backwardInput', packParams(params, values), [dz, w, dg], dg.numElements);
      return dg;
    },
    backwardWeight(dz, vectors) {
      const [batch, n, chans] = [vectors.shape[0]!, vectors.shape[1]!, vectors.shape[2]!];
      const dw = g.output([n], 'weighted-sum.dw');
      g.run('weighted-sum', 'backwardWeight', packParams(params, { total: n, batch, n, chans }), [dz, vectors, dw], n);
      return dw;
    },
  };
}
