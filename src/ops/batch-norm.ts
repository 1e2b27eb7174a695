import type { Backend, DropoutAttrs, EpsAttrs } from '../runtime/backend.ts';
import type { Gradient, OpDef } from '../runtime/op.ts';
import { expectShape } from '../runtime/shape.ts';
import type { Graph, TrainingGraph } from '../runtime/graph.ts';
import type { Shape, Tensor } from '../runtime/tensor.ts';
import { relu } from './relu.ts';
import { dropoutAttrs, type DropoutSite } from './spatial-dropout.ts';

function contract(op: string, [x, ...perChannel]: readonly Shape[]): Shape {
  const chans = x![x!.length - 1]!;
  perChannel.forEach((s, i) => expectShape(op, ['gamma', 'beta', 'runningMean', 'runningVar'][i]!, s, [chans]));
  return x!;
}

/** Training mode: batch statistics over every axis but the last; saves μ and σ² for backward. */
export const batchNormTrainOp: OpDef<EpsAttrs, Backend> = {
  name: 'batch-norm',
  shape: (shapes) => contract('batch-norm', shapes),
  forward: (k, [x, gamma, beta], a) => {
    const { y, mean, variance } = k.batchNorm.forwardTrain(x!, gamma!, beta!, a);
    return { out: y, saved: [mean, variance] };
  },
};

/** The backward of batchNormTrainOp. */
export const batchNormTrainGradient: Gradient<EpsAttrs> = {
  backward: (k, dy, { inputs: [x, gamma], saved: [mean, variance] }, a) => {
    const { dx, dgamma, dbeta } = k.batchNorm.backward(dy, x!, gamma!, mean!, variance!, a);
    return [dx, dgamma, dbeta];
  },
};

/**
 * Training mode followed by ReLU and spatial dropout (the TF-fusion and TAB layers' tail), which the backend may run
 * in its normalizing pass: the normalized tensor is never written. Backward goes through the dropout-ReLU backward
 * (from the output alone, src/ops/spatial-dropout.ts) into batch-norm's.
 */
export const batchNormReluDropoutOp: OpDef<EpsAttrs & { readonly dropout: DropoutAttrs }, Backend> = {
  name: 'batch-norm-relu-dropout',
  shape: (shapes) => contract('batch-norm-relu-dropout', shapes),
  forward: (k, [x, gamma, beta], a) => {
    const { y, mean, variance } = k.batchNorm.forwardTrain(x!, gamma!, beta!, a, a.dropout);
    return { out: y, saved: [mean, variance] };
  },
};

/** The backward of batchNormReluDropoutOp. */
export const batchNormReluDropoutGradient: Gradient<EpsAttrs & { readonly dropout: DropoutAttrs }> = {
  backward: (k, dy, { inputs: [x, gamma], out, saved: [mean, variance] }, a) => {
    const dyNormalized = k.spatialDropout.reluBackward(dy, out, a.dropout);
    const { dx, dgamma, dbeta } = k.batchNorm.backward(dyNormalized, x!, gamma!, mean!, variance!, a);
    k.release(dyNormalized);
    return [dx, dgamma, dbeta];
  },
};

/** Inference mode: the running statistics; never differentiated. */
export const batchNormInferenceOp: OpDef<EpsAttrs> = {
  name: 'batch-norm',
  shape: (shapes) => contract('batch-norm', shapes),
  forward: (k, [x, gamma, beta, runningMean, runningVar], a) => ({
    out: k.batchNorm.forwardInference(x!, gamma!, beta!, runningMean!, runningVar!, a),
  }),
};

export interface BatchNormState {
  readonly gamma: Tensor;
  readonly beta: Tensor;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
}

export interface BatchNormOptions {
  readonly eps: number;
  /** Keras momentum: r = momentum · r + (1 − momentum) · statistic. */
  readonly momentum: number;
  /**
   * Which variance the running update takes. Keras 2.x: 'unbiased' σ²·N/(N−1) for 4-D inputs (the fused kernel,
   * TF-fusion paths), 'biased' σ² for 3-D inputs (TABs); tensorflow/tensorflow#55545.
   */
  readonly runningVariance: 'unbiased' | 'biased';
}

/** BatchNorm (Keras semantics) on the running statistics: inference. */
export function batchNorm(graph: Graph, x: Tensor, state: BatchNormState, eps: number): Tensor {
  const { gamma, beta, runningMean, runningVar } = state;
  return graph.apply(batchNormInferenceOp, [x, gamma, beta, runningMean, runningVar], { eps }).out;
}

/**
 * BatchNorm on batch statistics, updating the running statistics in place. With `tail`, the result goes through
 * ReLU and spatial dropout too, as one op.
 */
export function batchNormTraining(graph: TrainingGraph, x: Tensor, state: BatchNormState, options: BatchNormOptions, tail?: DropoutSite): Tensor {
  const { gamma, beta, runningMean, runningVar } = state;
  const attrs = { eps: options.eps };
  const dropout = tail === undefined ? undefined : dropoutAttrs('batch-norm-relu-dropout', tail);
  const { out, saved } =
    dropout === undefined
      ? graph.apply(batchNormTrainOp, [x, gamma, beta], attrs)
      : graph.apply(batchNormReluDropoutOp, [x, gamma, beta], { ...attrs, dropout });
  expectShape('batch-norm', 'runningMean', runningMean.shape, gamma.shape);
  expectShape('batch-norm', 'runningVar', runningVar.shape, gamma.shape);
  const count = x.numElements / gamma.numElements;
  const varianceScale = options.runningVariance === 'unbiased' ? count / Math.max(count - 1, 1) : 1;
  graph.backend.batchNorm.updateRunning(runningMean, runningVar, saved![0]!, saved![1]!, {
    momentum: options.momentum,
    varianceScale,
  });
  // A tail of rate 0 is ReLU alone.
  return tail !== undefined && dropout === undefined ? relu(graph, out) : out;
}
