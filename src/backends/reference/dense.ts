import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import { input, output, span } from './view.ts';

/** rows = every leading axis of x flattened; w seen as (Out, In). */
function dims(x: Tensor, w: Tensor): { rows: number; cin: number; cout: number } {
  return { rows: span(x.shape, 0, x.shape.length - 1), cin: span(w.shape, 1), cout: w.shape[0]! };
}

export const denseInference: InferenceKernels['dense'] = {
  /** y[r, o] = b[o] + Σ_i w[o, i] · x[r, i]. */
  forward(x, w, b) {
    const op = 'dense.forward';
    const { rows, cin, cout } = dims(x, w);
    const X = input(op, 'x', x, [rows, cin]);
    const W = input(op, 'w', w, [cout, cin]);
    const Bv = input(op, 'b', b);
    const { tensor, view: Y } = output(op, 'y', [...x.shape.slice(0, -1), cout], [rows, cout]);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < cout; o++) {
        let sum = Bv.get(o);
        for (let i = 0; i < cin; i++) sum += W.get(o, i) * X.get(r, i);
        Y.set(sum, r, o);
      }
    }
    return tensor;
  },

  /** y[n, m] = b[0] + Σ_i w[n, i] · x[n, m, i]: x seen as (B, M, In), one weight row per sample. */
  forwardPerSample(x, w, b) {
    const op = 'dense.forwardPerSample';
    const { batch, mid, cin } = perSample(x);
    const X = input(op, 'x', x, [batch, mid, cin]);
    const W = input(op, 'w', w, [batch, cin]);
    const bias = input(op, 'b', b, [1]).get(0);
    const { tensor, view: Y } = output(op, 'y', [...x.shape.slice(0, -1), 1], [batch, mid]);
    for (let n = 0; n < batch; n++) {
      for (let m = 0; m < mid; m++) {
        let sum = bias;
        for (let i = 0; i < cin; i++) sum += W.get(n, i) * X.get(n, m, i);
        Y.set(sum, n, m);
      }
    }
    return tensor;
  },
};

export const denseTraining: TrainingKernels['dense'] = {
  /** dx[r, i] = Σ_o dy[r, o] · w[o, i]. */
  backwardInput(dy, w) {
    const op = 'dense.backwardInput';
    const rows = span(dy.shape, 0, dy.shape.length - 1);
    const [cout, cin] = [w.shape[0]!, span(w.shape, 1)];
    const DY = input(op, 'dy', dy, [rows, cout]);
    const W = input(op, 'w', w, [cout, cin]);
    const { tensor, view: DX } = output(op, 'dx', [...dy.shape.slice(0, -1), cin], [rows, cin]);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < cin; i++) {
        let sum = 0;
        for (let o = 0; o < cout; o++) sum += DY.get(r, o) * W.get(o, i);
        DX.set(sum, r, i);
      }
    }
    return tensor;
  },

  /** dw[o, i] = Σ_r dy[r, o] · x[r, i], returned as (Out, In); the op views it in the weight's own shape. */
  backwardWeight(dy, x) {
    const op = 'dense.backwardWeight';
    const rows = span(x.shape, 0, x.shape.length - 1);
    const [cin, cout] = [x.shape[x.shape.length - 1]!, dy.shape[dy.shape.length - 1]!];
    const DY = input(op, 'dy', dy, [rows, cout]);
    const X = input(op, 'x', x, [rows, cin]);
    const { tensor, view: DW } = output(op, 'dw', [cout, cin]);
    for (let o = 0; o < cout; o++) {
      for (let i = 0; i < cin; i++) {
        let sum = 0;
        for (let r = 0; r < rows; r++) sum += DY.get(r, o) * X.get(r, i);
        DW.set(sum, o, i);
      }
    }
    return tensor;
  },

  /** dx[n, m, i] = dy[n, m] · w[n, i]. */
  backwardInputPerSample(dy, w) {
    const op = 'dense.backwardInputPerSample';
    const [batch, cin] = [w.shape[0]!, w.shape[1]!];
    const mid = dy.numElements / batch;
    const DY = input(op, 'dy', dy, [batch, mid]);
    const W = input(op, 'w', w, [batch, cin]);
    const { tensor, view: DX } = output(op, 'dx', [...dy.shape.slice(0, -1), cin], [batch, mid, cin]);
    for (let n = 0; n < batch; n++) {
      for (let m = 0; m < mid; m++) for (let i = 0; i < cin; i++) DX.set(DY.get(n, m) * W.get(n, i), n, m, i);
    }
    return tensor;
  },

  /** dw[n, i] = Σ_m dy[n, m] · x[n, m, i]. */
  backwardWeightPerSample(dy, x, w) {
    const op = 'dense.backwardWeightPerSample';
    const { batch, mid, cin } = perSample(x);
    const DY = input(op, 'dy', dy, [batch, mid]);
    const X = input(op, 'x', x, [batch, mid, cin]);
    const { tensor, view: DW } = output(op, 'dw', w.shape, [batch, cin]);
    for (let n = 0; n < batch; n++) {
      for (let i = 0; i < cin; i++) {
        let sum = 0;
        for (let m = 0; m < mid; m++) sum += DY.get(n, m) * X.get(n, m, i);
        DW.set(sum, n, i);
      }
    }
    return tensor;
  },
};

/** x (B, …, In) seen as (B, M, In). */
function perSample(x: Tensor): { batch: number; mid: number; cin: number } {
  const [batch, cin] = [x.shape[0]!, x.shape[x.shape.length - 1]!];
  return { batch, mid: x.numElements / (batch * cin), cin };
}
