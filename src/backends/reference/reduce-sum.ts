import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { input, output, span } from './view.ts';

/** x seen as (outer, mid, inner) with mid = the reduced axes: y[o, i] = scale · Σ_m x[o, m, i]. */
export const reduceSumInference: InferenceKernels['reduceSum'] = {
  forward(x, { axis, count, scale }) {
    const op = 'reduceSum.forward';
    const [outer, mid, inner] = [span(x.shape, 0, axis), span(x.shape, axis, axis + count), span(x.shape, axis + count)];
    const X = input(op, 'x', x, [outer, mid, inner]);
    const yShape = [...x.shape.slice(0, axis), ...x.shape.slice(axis + count)];
    const { tensor, view: Y } = output(op, 'y', yShape, [outer, inner]);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let sum = 0;
        for (let m = 0; m < mid; m++) sum += X.get(o, m, i);
        Y.set(scale * sum, o, i);
      }
    }
    return tensor;
  },
};

export const reduceSumTraining: TrainingKernels['reduceSum'] = {
  /** dx[o, m, i] = scale · dy[o, i], plus addend[o, m, i] when given. */
  backward(dy, like, { axis, count, scale }, addend) {
    const op = 'reduceSum.backward';
    const [outer, mid, inner] = [span(like.shape, 0, axis), span(like.shape, axis, axis + count), span(like.shape, axis + count)];
    const DY = input(op, 'dy', dy, [outer, inner]);
    const A = addend === undefined ? undefined : input(op, 'addend', addend, [outer, mid, inner]);
    const { tensor, view: DX } = output(op, 'dx', like.shape, [outer, mid, inner]);
    for (let o = 0; o < outer; o++) {
      for (let m = 0; m < mid; m++) {
        for (let i = 0; i < inner; i++) DX.set(scale * DY.get(o, i) + (A?.get(o, m, i) ?? 0), o, m, i);
      }
    }
    return tensor;
  },
};
