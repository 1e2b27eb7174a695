// adam.ts: one Adam step in place, Keras form (the reference's adam.step):
//   m = β1·m + (1−β1)·g,  v = β2·v + (1−β2)·g²,  p −= stepSize · m / (sqrt(v) + eps)
// stepSize = lr·sqrt(1−β2^t)/(1−β1^t), computed once on the host. Reads grad; reads and writes param, m, v (n f32
// each). Each element in f64, rounded to f32 once per stored value (the step is checked to 1e-3·lr).

import { at } from './simd';

export function adamStep(param: usize, grad: usize, m: usize, v: usize, n: i32, stepSize: f64, beta1: f64, beta2: f64, eps: f64): void {
  for (let i = 0; i < n; i++) {
    const g = <f64>load<f32>(at(grad, i));
    const mi = beta1 * <f64>load<f32>(at(m, i)) + (1 - beta1) * g;
    const vi = beta2 * <f64>load<f32>(at(v, i)) + (1 - beta2) * g * g;
    store<f32>(at(m, i), <f32>mi);
    store<f32>(at(v, i), <f32>vi);
    store<f32>(at(param, i), <f32>(<f64>load<f32>(at(param, i)) - (stepSize * mi) / (Math.sqrt(vi) + eps)));
  }
}
