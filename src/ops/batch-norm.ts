import type { DropoutAttrs, EpsAttrs } from '../runtime/backend.ts';
import { defineOp } from '../runtime/op.ts';
import { expectShape } from '../runtime/shape.ts';
import type { Tape } from '../runtime/tape.ts';
import type { Shape, Tensor } from '../runtime/tensor.ts';
import { relu } from './relu.ts';
import { dropoutAttrs, reluDropout, type DropoutSite } from './spatial-dropout.ts';

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

/**
 * Training mode followed by ReLU and spatial dropout (the TF-fusion and TAB layers' tail), which the backend may run
 * in its normalizing pass: the normalized tensor is never written. Backward goes through the dropout-ReLU backward
 * (from the output alone, src/ops/spatial-dropout.ts) into batch-norm's.
 */
export const batchNormReluDropoutOp = defineOp<EpsAttrs & { readonly dropout: DropoutAttrs }>({
  name: 'batch-norm-relu-dropout',
  shape: (shapes) => contract('batch-norm-relu-dropout', shapes),
  forward: (k, [x, gamma, beta], a) => {
    const { y, mean, variance } = k.batchNorm.forwardTrain(x!, gamma!, beta!, a, a.dropout);
    return { out: y, saved: [mean, variance] };
  },
  backward: (k, dy, { inputs: [x, gamma], out, saved: [mean, variance] }, a) => {
    const dyNormalized = k.spatialDropout.reluBackward(dy, out, a.dropout);
    const { dx, dgamma, dbeta } = k.batchNorm.backward(dyNormalized, x!, gamma!, mean!, variance!, a);
    k.release(dyNormalized);
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

/**
 * BatchNorm (Keras semantics); in training mode also updates the running statistics in place. With `tail`, the
 * result goes through ReLU and spatial dropout too, as one op in training mode.
 */
export function batchNorm(tape: Tape, x: Tensor, state: BatchNormState, options: BatchNormOptions, tail?: DropoutSite): Tensor {
  const { gamma, beta, runningMean, runningVar } = state;
  const attrs = { eps: options.eps };
  if (!options.training) {
    const y = tape.apply(batchNormInferenceOp, [x, gamma, beta, runningMean, runningVar], attrs).out;
    return tail === undefined ? y : reluDropout(tape, y, tail);
  }
  const dropout = tail === undefined ? undefined : dropoutAttrs('batch-norm-relu-dropout', tail);
  const { out, saved } =
    dropout === undefined
      ? tape.apply(batchNormTrainOp, [x, gamma, beta], attrs)
      : tape.apply(batchNormReluDropoutOp, [x, gamma, beta], { ...attrs, dropout });
  expectShape('batch-norm', 'runningMean', runningMean.shape, gamma.shape);
  expectShape('batch-norm', 'runningVar', runningVar.shape, gamma.shape);
  const count = x.numElements / gamma.numElements;
  const varianceScale = options.runningVariance === 'unbiased' ? count / Math.max(count - 1, 1) : 1;
  tape.backend.batchNorm.updateRunning(runningMean, runningVar, saved![0]!, saved![1]!, {
    momentum: options.momentum,
    varianceScale,
  });
  // A tail of rate 0 is ReLU alone.
  return tail !== undefined && dropout === undefined ? relu(tape, out) : out;
}
