import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { input, output } from './view.ts';

export const sigmoidInference: InferenceKernels['sigmoid'] = {
  /** y = 1 / (1 + exp(−x)). */
  forward(x) {
    const op = 'sigmoid.forward';
    const n = x.numElements;
    const X = input(op, 'x', x, [n]);
    const { tensor, view: Y } = output(op, 'y', x.shape, [n]);
    for (let i = 0; i < n; i++) Y.set(1 / (1 + Math.exp(-X.get(i))), i);
    return tensor;
  },
};

export const sigmoidTraining: TrainingKernels['sigmoid'] = {
  /** dx = dy · y · (1 − y). */
  backward(dy, y) {
    const op = 'sigmoid.backward';
    const n = y.numElements;
    const DY = input(op, 'dy', dy, [n]);
    const Yv = input(op, 'y', y, [n]);
    const { tensor, view: DX } = output(op, 'dx', y.shape, [n]);
    for (let i = 0; i < n; i++) DX.set(DY.get(i) * Yv.get(i) * (1 - Yv.get(i)), i);
    return tensor;
  },
};
