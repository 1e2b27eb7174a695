import type { DropoutAttrs, TrainingKernels } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import { counterHash } from '../../runtime/random.ts';
import { input, output, span } from './view.ts';

/**
 * x seen as (B, M, C): y[b, m, c] = keep(b, c) ? f(x[b, m, c]) · scale : 0, one decision per sample and channel
 * (Keras SpatialDropout noise shape (B, 1, C) / (B, 1, 1, C)), keep ⇔ counterHash(seed, stream, step, b, c) < keepBelow;
 * f is the identity (forward) or max(·, 0) (reluForward).
 */
function dropout(op: string, x: Tensor, { seed, stream, step, keepBelow, scale }: DropoutAttrs, f: (v: number) => number): Tensor {
  const [batch, mid, chans] = [x.shape[0]!, span(x.shape, 1, x.shape.length - 1), x.shape[x.shape.length - 1]!];
  const X = input(op, 'x', x, [batch, mid, chans]);
  const { tensor, view: Y } = output(op, 'y', x.shape, [batch, mid, chans]);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < chans; c++) {
      const keep = counterHash(seed, stream, step, b, c) < keepBelow;
      for (let m = 0; m < mid; m++) Y.set(keep ? f(X.get(b, m, c)) * scale : 0, b, m, c);
    }
  }
  return tensor;
}

export const spatialDropoutTraining: TrainingKernels['spatialDropout'] = {
  forward: (x, attrs) => dropout('spatialDropout.forward', x, attrs, (v) => v),
  reluForward: (x, attrs) => dropout('spatialDropout.reluForward', x, attrs, (v) => Math.max(v, 0)),
  // dx = dy · scale where y > 0 (kept and x > 0), else 0.
  reluBackward(dy, y, { scale }) {
    const op = 'spatialDropout.reluBackward';
    const DY = input(op, 'dy', dy, [dy.numElements]);
    const Y = input(op, 'y', y, [dy.numElements]);
    const { tensor, view: DX } = output(op, 'dx', dy.shape, [dy.numElements]);
    for (let i = 0; i < dy.numElements; i++) DX.set(Y.get(i) > 0 ? DY.get(i) * scale : 0, i);
    return tensor;
  },
};
