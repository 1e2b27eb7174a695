import type { Conv1dAttrs, InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { input, output } from './view.ts';

/** Tap k of a K-tap causal conv reads `lag(k)` samples back: tap 0 the oldest, tap K−1 the current one. */
function lag(k: number, { taps, dilation }: Conv1dAttrs): number {
  return (taps - 1 - k) * dilation;
}

export const conv1dCausalInference: InferenceKernels['conv1dCausal'] = {
  /** y[b,t,o] = bias[o] + Σ_{i,k} w[o,i,k] · x[b, t − lag(k), i], x = 0 before t = 0; each x read once per t for all o. */
  forward(x, w, bias, attrs) {
    const op = 'conv1dCausal.forward';
    const [batch, time, cin, cout] = [x.shape[0]!, x.shape[1]!, x.shape[2]!, w.shape[0]!];
    const X = input(op, 'x', x);
    const W = input(op, 'w', w);
    const Bv = input(op, 'b', bias);
    const { tensor, view: Y } = output(op, 'y', [batch, time, cout]);
    const sums = new Float64Array(cout);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < time; t++) {
        for (let o = 0; o < cout; o++) sums[o] = Bv.get(o);
        for (let k = 0; k < attrs.taps; k++) {
          const ts = t - lag(k, attrs);
          if (ts < 0) continue;
          for (let i = 0; i < cin; i++) {
            const xv = X.get(b, ts, i);
            for (let o = 0; o < cout; o++) sums[o]! += W.get(o, i, k) * xv;
          }
        }
        for (let o = 0; o < cout; o++) Y.set(sums[o]!, b, t, o);
      }
    }
    return tensor;
  },
};

export const conv1dCausalTraining: TrainingKernels['conv1dCausal'] = {
  /** dx[b,s,i] = Σ_{o,k} dy[b, s + lag(k), o] · w[o,i,k] over outputs before T; each dy read once per s for all i. */
  backwardInput(dy, w, attrs) {
    const op = 'conv1dCausal.backwardInput';
    const [batch, time, cout, cin] = [dy.shape[0]!, dy.shape[1]!, dy.shape[2]!, w.shape[1]!];
    const DY = input(op, 'dy', dy);
    const W = input(op, 'w', w);
    const { tensor, view: DX } = output(op, 'dx', [batch, time, cin]);
    const sums = new Float64Array(cin);
    for (let b = 0; b < batch; b++) {
      for (let s = 0; s < time; s++) {
        sums.fill(0);
        for (let k = 0; k < attrs.taps; k++) {
          const t = s + lag(k, attrs);
          if (t >= time) continue;
          for (let o = 0; o < cout; o++) {
            const g = DY.get(b, t, o);
            for (let i = 0; i < cin; i++) sums[i]! += g * W.get(o, i, k);
          }
        }
        for (let i = 0; i < cin; i++) DX.set(sums[i]!, b, s, i);
      }
    }
    return tensor;
  },

  /** dw[o,i,k] = Σ_{b,t} dy[b,t,o] · x[b, t − lag(k), i] over t ≥ lag(k); sums over i in a local row. */
  backwardWeight(dy, x, attrs) {
    const op = 'conv1dCausal.backwardWeight';
    const [batch, time, cout, cin] = [dy.shape[0]!, dy.shape[1]!, dy.shape[2]!, x.shape[2]!];
    const DY = input(op, 'dy', dy);
    const X = input(op, 'x', x);
    const { tensor, view: DW } = output(op, 'dw', [cout, cin, attrs.taps]);
    const row = new Float64Array(cin);
    for (let o = 0; o < cout; o++) {
      for (let k = 0; k < attrs.taps; k++) {
        row.fill(0);
        for (let b = 0; b < batch; b++) {
          for (let t = lag(k, attrs); t < time; t++) {
            const g = DY.get(b, t, o);
            for (let i = 0; i < cin; i++) row[i]! += g * X.get(b, t - lag(k, attrs), i);
          }
        }
        for (let i = 0; i < cin; i++) DW.set(row[i]!, o, i, k);
      }
    }
    return tensor;
  },
};
