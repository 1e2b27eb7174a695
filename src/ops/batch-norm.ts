import type { EpsAttrs } from '../runtime/backend.ts';
import { defineOp } from '../runtime/op.ts';
import { expectShape } from '../runtime/shape.ts';
import type { Tape } from '../runtime/tape.ts';
import type { Shape, Tensor } from '../runtime/tensor.ts';

function contract(op: string, [x, ...perChannel]: readonly Shape[]): Shape {
  const chans = x![x!.length - 1]!;
  perChannel.forEach((s, i) => expectShape(op, ['gamma', 'beta', 'runningMean', 'runningVar'][i]!, s, [chans]));
  return x!;
}

/** Training mode: batch statistics over every axis but the last; saves μ and σ² for backward. */
export const batchNormTrainOp = defineOp<EpsAttrs>({
  name: 'batch-norm',
  shape: (shapes) => contract('batch-norm', shapes),
  forward: (k, [x, gamma, beta], a) => {
    const { y, mean, variance } = k.batchNorm.forwardTrain(x!, gamma!, beta!, a);
    return { out: y, saved: [mean, variance] };
  },
  backward: (k, dy, { inputs: [x, gamma], saved: [mean, variance] }, a) => {
    const { dx, dgamma, dbeta } = k.batchNorm.backward(dy, x!, gamma!, mean!, variance!, a);
    return [dx, dgamma, dbeta];
  },
});

/** Inference mode: the running statistics; never differentiated. */
export const batchNormInferenceOp = defineOp<EpsAttrs>({
  name: 'batch-norm',
  shape: (shapes) => contract('batch-norm', shapes),
  forward: (k, [x, gamma, beta, runningMean, runningVar], a) => ({
    out: k.batchNorm.forwardInference(x!, gamma!, beta!, runningMean!, runningVar!, a),
  }),
});

export interface BatchNormState {
  readonly gamma: Tensor;
  readonly beta: Tensor;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
}

export interface BatchNormOptions {
  /** Batch statistics and a running update (true) or the running statistics (false). */
  readonly training: boolean;
  readonly eps: number;
  /** Keras momentum: r = momentum · r + (1 − momentum) · statistic. */
  readonly momentum: number;
  /**
   * Which variance the running update takes. Keras 2.x: 'unbiased' σ²·N/(N−1) for 4-D inputs (the fused kernel,
   * TF-fusion paths), 'biased' σ² for 3-D inputs (TABs); tensorflow/tensorflow#55545.
   */
  readonly runningVariance: 'unbiased' | 'biased';
}

/** BatchNorm (Keras semantics); in training mode also updates the running statistics in place. */
export function batchNorm(tape: Tape, x: Tensor, state: BatchNormState, options: BatchNormOptions): Tensor {
  const { gamma, beta, runningMean, runningVar } = state;
  const attrs = { eps: options.eps };
  if (!options.training) return tape.apply(batchNormInferenceOp, [x, gamma, beta, runningMean, runningVar], attrs).out;
  const { out, saved } = tape.apply(batchNormTrainOp, [x, gamma, beta], attrs);
  expectShape('batch-norm', 'runningMean', runningMean.shape, gamma.shape);
  expectShape('batch-norm', 'runningVar', runningVar.shape, gamma.shape);
  const count = x.numElements / gamma.numElements;
  const varianceScale = options.runningVariance === 'unbiased' ? count / Math.max(count - 1, 1) : 1;
  tape.backend.batchNorm.updateRunning(runningMean, runningVar, saved![0]!, saved![1]!, {
    momentum: options.momentum,
    varianceScale,
  });
  return out;
}
