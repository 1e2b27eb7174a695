import { invariant } from '../../errors.ts';
import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { numElements } from '../../runtime/tensor.ts';
import type { NetworkTrainingExports } from './exports.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * The concat family on wasm tensors (kernels/network/concat.ts): the output made once, then one kernel call per
 * part writing its window of the axis.
 */
export function concatInference(w: WasmTensors): InferenceKernels['concat'] {
  return {
    forward(parts, { axis }) {
      invariant(parts.length > 0, 'concat.forward: no parts');
      const first = parts[0]!.shape;
      const total = parts.reduce((sum, part) => sum + part.shape[axis]!, 0);
      const y = w.output(first.map((d, i) => (i === axis ? total : d)), 'concat.y');
      const [outer, inner] = [numElements(first.slice(0, axis)), numElements(first.slice(axis + 1))];
      let offset = 0;
      for (const part of parts) {
        const width = part.shape[axis]!;
        w.kernels.concatPart(w.ptr(part), w.ptr(y), outer, width, inner, total, offset);
        offset += width;
      }
      return y;
    },
  };
}

/** concat's backward: `width` entries from `start` on `axis`, one copy per outer run. */
export function concatTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['concat'] {
  return {
    slice(x, { axis, start, width }) {
      const y = w.output(x.shape.map((d, i) => (i === axis ? width : d)), 'concat.slice');
      const [outer, inner] = [numElements(x.shape.slice(0, axis)), numElements(x.shape.slice(axis + 1))];
      w.kernels.concatSlice(w.ptr(x), w.ptr(y), outer, x.shape[axis]!, inner, start, width);
      return y;
    },
  };
}
