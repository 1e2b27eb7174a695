import type { InferenceKernels } from '../../runtime/backend.ts';
import { input, output } from './view.ts';

/** y[i] = a[i] + b[i]. */
export const addInference: InferenceKernels['add'] = {
  forward(a, b) {
    const op = 'add.forward';
    const n = a.numElements;
    const A = input(op, 'a', a, [n]);
    const B = input(op, 'b', b, [n]);
    const { tensor, view: Y } = output(op, 'y', a.shape, [n]);
    for (let i = 0; i < n; i++) Y.set(A.get(i) + B.get(i), i);
    return tensor;
  },
};
