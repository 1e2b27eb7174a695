import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import { input, output, span } from './view.ts';

/**
 * a seen as (B, M, C) and b as (B, C) when b is the gate broadcast over a's middle axes; with equal shapes, a as
 * (1, 1, N) and b as (1, N). Either way y[n, m, c] = a[n, m, c] · b[n, c].
 */
function layout(a: Tensor, b: Tensor): { batch: number; mid: number; chans: number; broadcast: boolean } {
  const broadcast = b.shape.length !== a.shape.length;
  return broadcast
    ? { batch: a.shape[0]!, mid: span(a.shape, 1, a.shape.length - 1), chans: a.shape[a.shape.length - 1]!, broadcast }
    : { batch: 1, mid: 1, chans: a.numElements, broadcast };
}

export const mulInference: InferenceKernels['mul'] = {
  forward(a, b) {
    const op = 'mul.forward';
    const { batch, mid, chans } = layout(a, b);
    const A = input(op, 'a', a, [batch, mid, chans]);
    const Bv = input(op, 'b', b, [batch, chans]);
    const { tensor, view: Y } = output(op, 'y', a.shape, [batch, mid, chans]);
    for (let n = 0; n < batch; n++) {
      for (let m = 0; m < mid; m++) {
        for (let c = 0; c < chans; c++) Y.set(A.get(n, m, c) * Bv.get(n, c), n, m, c);
      }
    }
    return tensor;
  },
};

export const mulTraining: TrainingKernels['mul'] = {
  /** db[b, c] = Σ_m dy[b, m, c] · a[b, m, c] (no sum when b has a's shape). */
  backwardB(dy, a, b) {
    const op = 'mul.backwardB';
    const { batch, mid, chans } = layout(a, b);
    const DY = input(op, 'dy', dy, [batch, mid, chans]);
    const A = input(op, 'a', a, [batch, mid, chans]);
    const { tensor, view: DB } = output(op, 'db', b.shape, [batch, chans]);
    for (let n = 0; n < batch; n++) {
      for (let c = 0; c < chans; c++) {
        let sum = 0;
        for (let m = 0; m < mid; m++) sum += DY.get(n, m, c) * A.get(n, m, c);
        DB.set(sum, n, c);
      }
    }
    return tensor;
  },
};
