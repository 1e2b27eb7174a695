import type { TrainingKernels } from '../../runtime/backend.ts';
import { input, output } from './view.ts';

export const softmaxCrossEntropyTraining: TrainingKernels['softmaxCrossEntropy'] = {
  /**
   * Per row, with the max subtracted first: log_softmax = z − max − log Σ exp(z − max), probs = exp(log_softmax);
   * loss = mean_b(−Σ_c target · log_softmax).
   */
  forward(logits, target) {
    const op = 'softmaxCrossEntropy.forward';
    const [batch, classes] = [logits.shape[0]!, logits.shape[1]!];
    const Z = input(op, 'logits', logits);
    const T = input(op, 'target', target);
    const { tensor: probs, view: P } = output(op, 'probs', [batch, classes]);
    const { tensor: loss, view: L } = output(op, 'loss', [1]);
    let total = 0;
    for (let b = 0; b < batch; b++) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, Z.get(b, c));
      let sumExp = 0;
      for (let c = 0; c < classes; c++) sumExp += Math.exp(Z.get(b, c) - max);
      const logSum = Math.log(sumExp);
      for (let c = 0; c < classes; c++) {
        const logProb = Z.get(b, c) - max - logSum;
        P.set(Math.exp(logProb), b, c);
        total -= T.get(b, c) * logProb;
      }
    }
    L.set(total / batch, 0);
    return { loss, probs };
  },

  /** dlogits[b,c] = dloss · (probs[b,c] − target[b,c]) / B. */
  backward(dloss, probs, target) {
    const op = 'softmaxCrossEntropy.backward';
    const [batch, classes] = [probs.shape[0]!, probs.shape[1]!];
    const DL = input(op, 'dloss', dloss);
    const P = input(op, 'probs', probs);
    const T = input(op, 'target', target);
    const { tensor, view: DZ } = output(op, 'dlogits', [batch, classes]);
    for (let b = 0; b < batch; b++) {
      for (let c = 0; c < classes; c++) DZ.set((DL.get(0) * (P.get(b, c) - T.get(b, c))) / batch, b, c);
    }
    return tensor;
  },
};
