import type { TrainingKernels } from '../../runtime/backend.ts';
import { input } from './view.ts';

export const adamTraining: TrainingKernels['adam'] = {
  /** In place, per element: m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g², p −= stepSize · m / (sqrt(v) + eps). */
  step(param, grad, m, v, { stepSize, beta1, beta2, eps }) {
    const op = 'adam.step';
    const n = param.numElements;
    const P = input(op, 'param', param, [n]);
    const G = input(op, 'grad', grad, [n]);
    const M = input(op, 'm', m, [n]);
    const V = input(op, 'v', v, [n]);
    for (let i = 0; i < n; i++) {
      M.set(beta1 * M.get(i) + (1 - beta1) * G.get(i), i);
      V.set(beta2 * V.get(i) + (1 - beta2) * G.get(i) ** 2, i);
      P.set(P.get(i) - (stepSize * M.get(i)) / (Math.sqrt(V.get(i)) + eps), i);
    }
  },
};
