import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { NetworkTrainingExports } from './exports.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * The batch-norm family's inference kernel on wasm tensors (kernels/network/batch-norm.ts): the given statistics,
 * channels-last, x seen as (rows, C). Scratch holds the per-channel factors laid out for the channel walk.
 */
export function batchNormInference(w: WasmTensors): InferenceKernels['batchNorm'] {
  const k = w.kernels;
  return {
    forwardInference(x, gamma, beta, runningMean, runningVar, { eps }) {
      const chans = x.shape[x.shape.length - 1]!;
      const y = w.output(x.shape, 'batch-norm.y');
      w.withScratch(k.batchNormScratchBytes(chans), (scratch) =>
        k.batchNormForwardInference(
          w.ptr(x), w.ptr(gamma), w.ptr(beta), w.ptr(runningMean), w.ptr(runningVar), w.ptr(y), scratch,
          x.numElements / chans, chans, eps,
        ),
      );
      return y;
    },
  };
}

/**
 * Training BatchNorm: forwardTrain = batch statistics (f32x4 chunks into f64 totals), then the inference
 * normalisation with them, or with `tail` the normalisation, ReLU and dropout in one pass; backward the same way;
 * updateRunning in f64.
 */
export function batchNormTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['batchNorm'] {
  const k = w.kernels;
  const inference = batchNormInference(w);
  return {
    forwardTrain(x, gamma, beta, attrs, tail) {
      const chans = x.shape[x.shape.length - 1]!;
      const mean = w.output([chans], 'batch-norm.mean');
      const variance = w.output([chans], 'batch-norm.variance');
      w.withScratch(k.batchNormTrainScratchBytes(chans), (scratch) => k.batchNormStatistics(w.ptr(x), w.ptr(mean), w.ptr(variance), scratch, x.numElements / chans, chans));
      if (tail === undefined) return { y: inference.forwardInference(x, gamma, beta, mean, variance, attrs), mean, variance };
      const y = w.output(x.shape, 'batch-norm.y');
      const [batch, { seed, stream, step, keepBelow, scale }] = [x.shape[0]!, tail];
      w.withScratch(k.batchNormTailScratchBytes(chans), (scratch) =>
        k.batchNormNormalizeTail(
          w.ptr(x), w.ptr(gamma), w.ptr(beta), w.ptr(mean), w.ptr(variance), w.ptr(y), scratch,
          batch, x.numElements / (batch * chans), chans, attrs.eps, seed, stream, step, keepBelow, scale,
        ),
      );
      return { y, mean, variance };
    },
    backward(dy, x, gamma, mean, variance, { eps }) {
      const chans = x.shape[x.shape.length - 1]!;
      const dx = w.output(x.shape, 'batch-norm.dx');
      const dgamma = w.output([chans], 'batch-norm.dgamma');
      const dbeta = w.output([chans], 'batch-norm.dbeta');
      w.withScratch(k.batchNormTrainScratchBytes(chans), (scratch) =>
        k.batchNormBackward(
          w.ptr(dy), w.ptr(x), w.ptr(gamma), w.ptr(mean), w.ptr(variance), w.ptr(dx), w.ptr(dgamma), w.ptr(dbeta),
          scratch, x.numElements / chans, chans, eps,
        ),
      );
      return { dx, dgamma, dbeta };
    },
    updateRunning(runningMean, runningVar, mean, variance, { momentum, varianceScale }) {
      k.batchNormUpdateRunning(w.ptr(runningMean), w.ptr(runningVar), w.ptr(mean), w.ptr(variance), mean.numElements, momentum, varianceScale);
    },
  };
}
