import { withTraining, type Backend, type FusedInferenceKernels, type TrainingKernels } from '../../runtime/backend.ts';
import { adamTraining } from './adam.ts';
import { batchNormTraining } from './batch-norm.ts';
import { concatTraining } from './concat.ts';
import { conv1dCausalTraining } from './conv1d-causal.ts';
import { conv2dTraining } from './conv2d.ts';
import { denseTraining } from './dense.ts';
import { referenceInference } from './inference.ts';
import { mulTraining } from './mul.ts';
import { reduceSumTraining } from './reduce-sum.ts';
import { reluTraining } from './relu.ts';
import { sigmoidTraining } from './sigmoid.ts';
import { softmaxCrossEntropyTraining } from './softmax-cross-entropy.ts';
import { spatialDropoutTraining } from './spatial-dropout.ts';
import { weightedSumTraining } from './weighted-sum.ts';

export { referenceInference };

const training: TrainingKernels = {
  reduceSum: reduceSumTraining,
  relu: reluTraining,
  sigmoid: sigmoidTraining,
  mul: mulTraining,
  spatialDropout: spatialDropoutTraining,
  concat: concatTraining,
  dense: denseTraining,
  conv2d: conv2dTraining,
  conv1dCausal: conv1dCausalTraining,
  batchNorm: batchNormTraining,
  weightedSum: weightedSumTraining,
  softmaxCrossEntropy: softmaxCrossEntropyTraining,
  adam: adamTraining,
};

/** The whole float64 reference backend: inference and training kernels. */
export const referenceBackend: Backend & FusedInferenceKernels = withTraining(referenceInference, training);
