// softmax-cross-entropy.ts: the loss (the reference's softmaxCrossEntropy), in f64 per row (a few classes).
//   forward:  per row, m = max_c z, log_softmax = z − m − log Σ_c exp(z − m), probs = exp(log_softmax);
//             loss[0] = mean_b(−Σ_c target · log_softmax)
//   backward: dlogits[b, c] = dloss[0] · (probs[b, c] − target[b, c]) / B
// Reads logits / probs, target (B, K); writes probs (B, K) and loss (1), or dlogits (B, K). No scratch.

import { at } from './simd';

export function softmaxCrossEntropyForward(logits: usize, target: usize, loss: usize, probs: usize, batch: i32, classes: i32): void {
  let total: f64 = 0;
  for (let b = 0; b < batch; b++) {
    const row = b * classes;
    let max: f64 = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, <f64>load<f32>(at(logits, row + c)));
    let sumExp: f64 = 0;
    for (let c = 0; c < classes; c++) sumExp += Math.exp(<f64>load<f32>(at(logits, row + c)) - max);
    const logSum = Math.log(sumExp);
    for (let c = 0; c < classes; c++) {
      const logProb = <f64>load<f32>(at(logits, row + c)) - max - logSum;
      store<f32>(at(probs, row + c), <f32>Math.exp(logProb));
      total -= <f64>load<f32>(at(target, row + c)) * logProb;
    }
  }
  store<f32>(loss, <f32>(total / <f64>batch));
}

export function softmaxCrossEntropyBackward(dloss: usize, probs: usize, target: usize, dlogits: usize, batch: i32, classes: i32): void {
  const g = <f64>load<f32>(dloss);
  for (let k = 0; k < batch * classes; k++) {
    store<f32>(at(dlogits, k), <f32>((g * (<f64>load<f32>(at(probs, k)) - <f64>load<f32>(at(target, k)))) / <f64>batch));
  }
}
