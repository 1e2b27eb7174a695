import type { Kernels } from '../../runtime/backend.ts';
import { counterHash } from '../../runtime/random.ts';
import { input, output, span } from './view.ts';

/**
 * x seen as (B, M, C): y[b, m, c] = keep(b, c) ? x[b, m, c] · scale : 0, one decision per sample and channel
 * (Keras SpatialDropout noise shape (B, 1, C) / (B, 1, 1, C)), keep ⇔ counterHash(seed, stream, step, b, c) < keepBelow.
 */
export const spatialDropout: Kernels['spatialDropout'] = {
  forward(x, { seed, stream, step, keepBelow, scale }) {
    const op = 'spatialDropout.forward';
    const [batch, mid, chans] = [x.shape[0]!, span(x.shape, 1, x.shape.length - 1), x.shape[x.shape.length - 1]!];
    const X = input(op, 'x', x, [batch, mid, chans]);
    const { tensor, view: Y } = output(op, 'y', x.shape, [batch, mid, chans]);
    for (let b = 0; b < batch; b++) {
      for (let c = 0; c < chans; c++) {
        const keep = counterHash(seed, stream, step, b, c) < keepBelow;
        for (let m = 0; m < mid; m++) Y.set(keep ? X.get(b, m, c) * scale : 0, b, m, c);
      }
    }
    return tensor;
  },
};
