import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { input, output, span } from './view.ts';

/** Each tensor seen as (outer, width, inner) around the concatenation axis. */
export const concatInference: InferenceKernels['concat'] = {
  /** y[o, offset_p + w, i] = part_p[o, w, i]. */
  forward(parts, { axis }) {
    const op = 'concat.forward';
    const first = parts[0]!.shape;
    const [outer, inner] = [span(first, 0, axis), span(first, axis + 1)];
    const total = parts.reduce((sum, p) => sum + p.shape[axis]!, 0);
    const yShape = first.map((d, i) => (i === axis ? total : d));
    const { tensor, view: Y } = output(op, 'y', yShape, [outer, total, inner]);
    let offset = 0;
    parts.forEach((part, p) => {
      const width = part.shape[axis]!;
      const P = input(op, `parts[${p}]`, part, [outer, width, inner]);
      for (let o = 0; o < outer; o++) {
        for (let w = 0; w < width; w++) {
          for (let i = 0; i < inner; i++) Y.set(P.get(o, w, i), o, offset + w, i);
        }
      }
      offset += width;
    });
    return tensor;
  },
};

export const concatTraining: TrainingKernels['concat'] = {
  /** y[o, w, i] = x[o, start + w, i]. */
  slice(x, { axis, start, width }) {
    const op = 'concat.slice';
    const [outer, size, inner] = [span(x.shape, 0, axis), x.shape[axis]!, span(x.shape, axis + 1)];
    const X = input(op, 'x', x, [outer, size, inner]);
    const yShape = x.shape.map((d, i) => (i === axis ? width : d));
    const { tensor, view: Y } = output(op, 'y', yShape, [outer, width, inner]);
    for (let o = 0; o < outer; o++) {
      for (let w = 0; w < width; w++) {
        for (let i = 0; i < inner; i++) Y.set(X.get(o, start + w, i), o, w, i);
      }
    }
    return tensor;
  },
};
