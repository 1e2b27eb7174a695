import type { FusedInferenceKernels } from '../../runtime/backend.ts';
import { packParams, type ParamsFields } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/direction-dense.wgsl, field for field. */
export const params = [
  ['batch', 'u32'],
  ['rows', 'u32'],
  ['inputs', 'u32'],
  ['outputs', 'u32'],
  ['total', 'u32'],
] as const satisfies ParamsFields;

/** Outputs per invocation (one vec4 of sums). */
const TILE = 4;

/** Rows per invocation: `SPAN` in shaders/direction-dense.wgsl. */
const SPAN = 4;

/** direction-dense on GPU tensors: x (2B, …, In), w packed (2, In, 4⌈Out/4⌉), b (2, Out) → (2B, …, Out). */
export function directionDenseInference(g: GpuTensors): FusedInferenceKernels['directionDense'] {
  return {
    forward(x, w, b) {
      const [inputs, outputs] = [w.shape[1]!, b.shape[1]!];
      const y = g.output([...x.shape.slice(0, -1), outputs], 'direction-dense.y');
      const stacked = x.shape[0]!;
      const rows = x.numElements / (stacked * inputs);
      const total = stacked * Math.ceil(rows / SPAN) * Math.ceil(outputs / TILE);
      g.run('direction-dense', 'forward', packParams(params, { batch: stacked / 2, rows, inputs, outputs, total }), [x, w, b, y], total);
      return y;
    },
  };
}
