import type { Backend } from '../runtime/backend.ts';
import { expectInteger, expectShape } from '../runtime/shape.ts';
import type { Tensor } from '../runtime/tensor.ts';

/** Adam hyper-parameters (MS-SENet: lr 1e-3, β1 0.93, β2 0.98, eps 1e-8). */
export interface AdamHyper {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

/**
 * One Adam step t ≥ 1 on one parameter, in place (param, m, v), Keras form: eps is added to sqrt(v) before the
 * bias correction, which is folded into the step size lr·sqrt(1 − β2^t)/(1 − β1^t), computed here in float64 once
 * so every backend uses the same number. (PyTorch adds eps to sqrt(v/(1 − β2^t)) instead: at t = 1 that differs
 * by up to 0.45·lr for |g| ≈ 3e-8.)
 */
export function adamStep(k: Backend, param: Tensor, grad: Tensor, m: Tensor, v: Tensor, hyper: AdamHyper, t: number): void {
  expectInteger('adam', 't', t, 1);
  expectShape('adam', 'grad', grad.shape, param.shape);
  expectShape('adam', 'm', m.shape, param.shape);
  expectShape('adam', 'v', v.shape, param.shape);
  const stepSize = (hyper.lr * Math.sqrt(1 - hyper.beta2 ** t)) / (1 - hyper.beta1 ** t);
  k.adam.step(param, grad, m, v, { stepSize, beta1: hyper.beta1, beta2: hyper.beta2, eps: hyper.eps });
}
