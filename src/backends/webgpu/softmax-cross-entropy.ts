import type { TrainingKernels } from '../../runtime/backend.ts';
import { packParams, type ParamsFields } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/softmax-cross-entropy.wgsl, field for field. */
export const params = [
  ['total', 'u32'],
  ['batch', 'u32'],
  ['classes', 'u32'],
] as const satisfies ParamsFields;

const FAMILY = 'softmax-cross-entropy';

/**
 * The softmaxCrossEntropy family of the Backend interface (src/runtime/backend.ts) on GPU tensors: logits and
 * target (B, K). forward is two dispatches: per-row probabilities and losses, then their mean into loss [1].
 */
export function softmaxCrossEntropyTraining(g: GpuTensors): TrainingKernels['softmaxCrossEntropy'] {
  return {
    forward(logits, target) {
      const [batch, classes] = [logits.shape[0]!, logits.shape[1]!];
      const probs = g.output([batch, classes], 'softmax-cross-entropy.probs');
      const rowLoss = g.output([batch], 'softmax-cross-entropy.rowLoss');
      const loss = g.output([1], 'softmax-cross-entropy.loss');
      g.run(FAMILY, 'forward', packParams(params, { total: batch, batch, classes }), [logits, target, probs, rowLoss], batch);
      g.run(FAMILY, 'meanLoss', packParams(params, { total: 1, batch, classes }), [rowLoss, loss], 1);
      return { loss, probs };
    },
    backward(dloss, probs, target) {
      const [batch, classes] = [probs.shape[0]!, probs.shape[1]!];
      const dlogits = g.output([batch, classes], 'softmax-cross-entropy.dlogits');
      const values = { total: dlogits.numElements, batch, classes };
      g.run(FAMILY, 'backward', packParams(params, values), [dloss, probs, target, dlogits], dlogits.numElements);
      return dlogits;
    },
  };
}
