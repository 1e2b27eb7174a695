import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { input, output } from './view.ts';

export const reluInference: InferenceKernels['relu'] = {
  /** y = max(x, 0). */
  forward(x) {
    const op = 'relu.forward';
    const n = x.numElements;
    const X = input(op, 'x', x, [n]);
    const { tensor, view: Y } = output(op, 'y', x.shape, [n]);
    for (let i = 0; i < n; i++) Y.set(Math.max(X.get(i), 0), i);
    return tensor;
  },
};

export const reluTraining: TrainingKernels['relu'] = {
  /** dx = dy where y > 0 (the kink at 0 gets gradient 0, as in Keras). */
  backward(dy, y) {
    const op = 'relu.backward';
    const n = y.numElements;
    const DY = input(op, 'dy', dy, [n]);
    const Yv = input(op, 'y', y, [n]);
    const { tensor, view: DX } = output(op, 'dx', y.shape, [n]);
    for (let i = 0; i < n; i++) DX.set(Yv.get(i) > 0 ? DY.get(i) : 0, i);
    return tensor;
  },
};
