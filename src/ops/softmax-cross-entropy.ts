import type { Gradient, OpDef } from '../runtime/op.ts';
import { expectRank, expectShape } from '../runtime/shape.ts';
import type { Backend } from '../runtime/backend.ts';
import type { TrainingGraph } from '../runtime/graph.ts';
import type { Tensor } from '../runtime/tensor.ts';

/**
 * Softmax + cross-entropy against a target distribution (label-smoothed one-hot), mean over the batch → [1].
 * The target is data: no gradient flows to it.
 */
export const softmaxCrossEntropyOp: OpDef<null, Backend> = {
  name: 'softmax-cross-entropy',
  shape: ([logits, target]) => {
    expectRank('softmax-cross-entropy', 'logits', logits!, 2);
    expectShape('softmax-cross-entropy', 'target', target!, logits!);
    return [1];
  },
  forward: (k, [logits, target]) => {
    const { loss, probs } = k.softmaxCrossEntropy.forward(logits!, target!);
    return { out: loss, saved: [probs] };
  },
};

/** The backward of softmaxCrossEntropyOp. */
export const softmaxCrossEntropyGradient: Gradient<null> = {
  backward: (k, dloss, { inputs: [, target], saved: [probs] }) => [
    k.softmaxCrossEntropy.backward(dloss, probs!, target!),
    undefined,
  ],
};

/** Mean loss ([1]) and softmax probabilities (B, classes). */
export function softmaxCrossEntropy(graph: TrainingGraph, logits: Tensor, target: Tensor): { loss: Tensor; probs: Tensor } {
  const { out, saved } = graph.apply(softmaxCrossEntropyOp, [logits, target], null);
  return { loss: out, probs: saved![0]! };
}

/** Label-smoothed one-hot targets, row-major (B, classes): onehot · (1 − s) + s / classes (Keras). */
export function smoothedTargets(labels: ArrayLike<number>, classes: number, smoothing: number): Float64Array {
  const target = new Float64Array(labels.length * classes).fill(smoothing / classes);
  for (let b = 0; b < labels.length; b++) target[b * classes + labels[b]!]! += 1 - smoothing;
  return target;
}
