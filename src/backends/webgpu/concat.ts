import { invariant } from '../../errors.ts';
import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { numElements, type Shape } from '../../runtime/tensor.ts';
import { packParams, type ParamsFields, type ParamsValues } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/concat.wgsl, field for field. */
export const params = [
  ['total', 'u32'],
  ['outer', 'u32'],
  ['width', 'u32'],
  ['inner', 'u32'],
  ['fullWidth', 'u32'],
  ['start', 'u32'],
  ['chunkRows', 'u32'],
] as const satisfies ParamsFields;

/**
 * Rows (outer indices) one invocation copies. 32 gives a TF-fusion path (B·T rows of 39·39) at the golden batch
 * 4 24·1521 ≈ 36k invocations, and 376·1521 ≈ 572k at batch 64.
 */
export const CONCAT_CHUNK_ROWS = 32;

/** Params copying the window [start, start + width) of axis `axis` of `full` (any one part's or slice's). */
function windowParams(full: Shape, axis: number, start: number, width: number): ParamsValues<typeof params> {
  const outer = numElements(full.slice(0, axis));
  const inner = numElements(full.slice(axis + 1));
  const total = Math.ceil(outer / CONCAT_CHUNK_ROWS) * width * inner;
  return { total, outer, width, inner, fullWidth: full[axis]!, start, chunkRows: CONCAT_CHUNK_ROWS };
}

/**
 * The concat family of the Backend interface (src/runtime/backend.ts) on GPU tensors. forward creates the output
 * once and records one dispatch per part writing its window of the axis (WGSL cannot bind a variable number of
 * buffers); slice reads one window back out.
 */
export function concatInference(g: GpuTensors): InferenceKernels['concat'] {
  return {
    forward(parts, { axis }) {
      invariant(parts.length > 0, 'concat.forward: no parts');
      const fullWidth = parts.reduce((sum, part) => sum + part.shape[axis]!, 0);
      const y = g.output(
        parts[0]!.shape.map((d, i) => (i === axis ? fullWidth : d)),
        'concat.y',
      );
      let start = 0;
      for (const part of parts) {
        const values = windowParams(y.shape, axis, start, part.shape[axis]!);
        g.run('concat', 'forward', packParams(params, values), [part, y], values.total);
        start += values.width;
      }
      return y;
    },
  };
}

export function concatTraining(g: GpuTensors): TrainingKernels['concat'] {
  return {
    slice(x, { axis, start, width }) {
      const y = g.output(
        x.shape.map((d, i) => (i === axis ? width : d)),
        'concat.slice',
      );
      const values = windowParams(x.shape, axis, start, width);
      g.run('concat', 'slice', packParams(params, values), [x, y], values.total);
      return y;
    },
  };
}
