import type { TrainingKernels } from '../../runtime/backend.ts';
import type { NetworkTrainingExports } from './exports.ts';
import type { WasmTensors } from './tensors.ts';

/** The loss on wasm tensors (kernels/network/softmax-cross-entropy.ts): logits and target (B, K), f64 per row. */
export function softmaxCrossEntropyTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['softmaxCrossEntropy'] {
  return {
    forward(logits, target) {
      const [batch, classes] = [logits.shape[0]!, logits.shape[1]!];
      const probs = w.output([batch, classes], 'softmax-cross-entropy.probs');
      const loss = w.output([1], 'softmax-cross-entropy.loss');
      w.kernels.softmaxCrossEntropyForward(w.ptr(logits), w.ptr(target), w.ptr(loss), w.ptr(probs), batch, classes);
      return { loss, probs };
    },
    backward(dloss, probs, target) {
      const [batch, classes] = [probs.shape[0]!, probs.shape[1]!];
      const dlogits = w.output([batch, classes], 'softmax-cross-entropy.dlogits');
      w.kernels.softmaxCrossEntropyBackward(w.ptr(dloss), w.ptr(probs), w.ptr(target), w.ptr(dlogits), batch, classes);
      return dlogits;
    },
  };
}
