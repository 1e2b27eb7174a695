import type { InferenceKernels } from '../../runtime/backend.ts';
import { input, output, span } from './view.ts';

/** x seen as (B, T, R): y[b, t, r] = x[b, T − 1 − t, r]. */
export const reverseTimeInference: InferenceKernels['reverseTime'] = {
  forward(x) {
    const op = 'reverseTime.forward';
    const [batch, time, rest] = [x.shape[0]!, x.shape[1]!, span(x.shape, 2)];
    const X = input(op, 'x', x, [batch, time, rest]);
    const { tensor, view: Y } = output(op, 'y', x.shape, [batch, time, rest]);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < time; t++) {
        for (let r = 0; r < rest; r++) Y.set(X.get(b, time - 1 - t, r), b, t, r);
      }
    }
    return tensor;
  },
};
