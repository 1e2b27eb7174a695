import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { input, output } from './view.ts';

export const weightedSumInference: InferenceKernels['weightedSum'] = {
  /** z[b,c] = Σ_j w[j] · g[b,j,c]. */
  forward(g, w) {
    const op = 'weightedSum.forward';
    const [batch, n, chans] = [g.shape[0]!, g.shape[1]!, g.shape[2]!];
    const Gv = input(op, 'g', g);
    const W = input(op, 'w', w);
    const { tensor, view: Z } = output(op, 'z', [batch, chans]);
    for (let b = 0; b < batch; b++) {
      for (let c = 0; c < chans; c++) {
        let sum = 0;
        for (let j = 0; j < n; j++) sum += W.get(j) * Gv.get(b, j, c);
        Z.set(sum, b, c);
      }
    }
    return tensor;
  },
};

export const weightedSumTraining: TrainingKernels['weightedSum'] = {
  /** dg[b,j,c] = w[j] · dz[b,c]. */
  backwardInput(dz, w) {
    const op = 'weightedSum.backwardInput';
    const [batch, chans, n] = [dz.shape[0]!, dz.shape[1]!, w.shape[0]!];
    const DZ = input(op, 'dz', dz);
    const W = input(op, 'w', w);
    const { tensor, view: DG } = output(op, 'dg', [batch, n, chans]);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < n; j++) {
        for (let c = 0; c < chans; c++) DG.set(W.get(j) * DZ.get(b, c), b, j, c);
      }
    }
    return tensor;
  },

  /** dw[j] = Σ_{b,c} dz[b,c] · g[b,j,c]. */
  backwardWeight(dz, g) {
    const op = 'weightedSum.backwardWeight';
    const [batch, n, chans] = [g.shape[0]!, g.shape[1]!, g.shape[2]!];
    const DZ = input(op, 'dz', dz);
    const Gv = input(op, 'g', g);
    const { tensor, view: DW } = output(op, 'dw', [n]);
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let b = 0; b < batch; b++) {
        for (let c = 0; c < chans; c++) sum += DZ.get(b, c) * Gv.get(b, j, c);
      }
      DW.set(sum, j);
    }
    return tensor;
  },
};
