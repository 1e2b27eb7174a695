import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import { spatialDropoutTraining } from './spatial-dropout.ts';
import { input, output } from './view.ts';

/** Channels-last: x seen as (N, C), statistics per channel over the N = numElements / C rows. */
function rowsOf(x: Tensor): { rows: number; chans: number } {
  const chans = x.shape[x.shape.length - 1]!;
  return { rows: x.numElements / chans, chans };
}

export const batchNormInference: InferenceKernels['batchNorm'] = {
  /** y = γ (x − r_mean) / sqrt(r_var + eps) + β. */
  forwardInference(x, gamma, beta, runningMean, runningVar, { eps }) {
    const op = 'batchNorm.forwardInference';
    const { rows, chans } = rowsOf(x);
    const X = input(op, 'x', x, [rows, chans]);
    const G = input(op, 'gamma', gamma);
    const Bt = input(op, 'beta', beta);
    const M = input(op, 'runningMean', runningMean);
    const V = input(op, 'runningVar', runningVar);
    const { tensor, view: Y } = output(op, 'y', x.shape, [rows, chans]);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < chans; c++) {
        Y.set((G.get(c) * (X.get(r, c) - M.get(c))) / Math.sqrt(V.get(c) + eps) + Bt.get(c), r, c);
      }
    }
    return tensor;
  },
};

export const batchNormTraining: TrainingKernels['batchNorm'] = {
  /**
   * μ = Σ x / N, σ² = Σ (x − μ)² / N (biased, two-pass), y = γ (x − μ) / sqrt(σ² + eps) + β.
   * Rows outer, channels inner, per-channel sums in local accumulators: memory is read in order.
   */
  forwardTrain(x, gamma, beta, { eps }, tail) {
    const op = 'batchNorm.forwardTrain';
    const { rows, chans } = rowsOf(x);
    const X = input(op, 'x', x, [rows, chans]);
    const G = input(op, 'gamma', gamma);
    const Bt = input(op, 'beta', beta);
    const { tensor: y, view: Y } = output(op, 'y', x.shape, [rows, chans]);
    const { tensor: mean, view: M } = output(op, 'mean', [chans]);
    const { tensor: variance, view: V } = output(op, 'variance', [chans]);
    const sums = new Float64Array(chans);
    for (let r = 0; r < rows; r++) for (let c = 0; c < chans; c++) sums[c]! += X.get(r, c);
    for (let c = 0; c < chans; c++) M.set(sums[c]! / rows, c);
    const squares = new Float64Array(chans);
    for (let r = 0; r < rows; r++) for (let c = 0; c < chans; c++) squares[c]! += (X.get(r, c) - M.get(c)) ** 2;
    for (let c = 0; c < chans; c++) V.set(squares[c]! / rows, c);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < chans; c++) {
        Y.set((G.get(c) * (X.get(r, c) - M.get(c))) / Math.sqrt(V.get(c) + eps) + Bt.get(c), r, c);
      }
    }
    return { y: tail === undefined ? y : spatialDropoutTraining.reluForward(y, tail), mean, variance };
  },

  /**
   * With x̂ = (x − μ)·s, s = 1/sqrt(σ² + eps): dβ = Σ dy, dγ = Σ dy·x̂,
   * dx = γ·s·(dy − dβ/N − x̂·dγ/N) (μ and σ² depend on x; this is their chain rule folded in).
   */
  backward(dy, x, gamma, mean, variance, { eps }) {
    const op = 'batchNorm.backward';
    const { rows, chans } = rowsOf(x);
    const DY = input(op, 'dy', dy, [rows, chans]);
    const X = input(op, 'x', x, [rows, chans]);
    const G = input(op, 'gamma', gamma);
    const M = input(op, 'mean', mean);
    const V = input(op, 'variance', variance);
    const { tensor: dx, view: DX } = output(op, 'dx', x.shape, [rows, chans]);
    const { tensor: dgamma, view: DG } = output(op, 'dgamma', [chans]);
    const { tensor: dbeta, view: DB } = output(op, 'dbeta', [chans]);
    const s = Float64Array.from({ length: chans }, (_, c) => 1 / Math.sqrt(V.get(c) + eps));
    const sumDy = new Float64Array(chans);
    const sumDyXhat = new Float64Array(chans);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < chans; c++) {
        sumDy[c]! += DY.get(r, c);
        sumDyXhat[c]! += DY.get(r, c) * (X.get(r, c) - M.get(c)) * s[c]!;
      }
    }
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < chans; c++) {
        const xhat = (X.get(r, c) - M.get(c)) * s[c]!;
        DX.set(G.get(c) * s[c]! * (DY.get(r, c) - sumDy[c]! / rows - (xhat * sumDyXhat[c]!) / rows), r, c);
      }
    }
    for (let c = 0; c < chans; c++) {
      DG.set(sumDyXhat[c]!, c);
      DB.set(sumDy[c]!, c);
    }
    return { dx, dgamma, dbeta };
  },

  /** In place: r_mean = m·r_mean + (1−m)·μ, r_var = m·r_var + (1−m)·σ²·varianceScale. */
  updateRunning(runningMean, runningVar, mean, variance, { momentum, varianceScale }) {
    const op = 'batchNorm.updateRunning';
    const RM = input(op, 'runningMean', runningMean);
    const RV = input(op, 'runningVar', runningVar);
    const M = input(op, 'mean', mean);
    const V = input(op, 'variance', variance);
    for (let c = 0; c < mean.numElements; c++) {
      RM.set(momentum * RM.get(c) + (1 - momentum) * M.get(c), c);
      RV.set(momentum * RV.get(c) + (1 - momentum) * V.get(c) * varianceScale, c);
    }
  },
};
