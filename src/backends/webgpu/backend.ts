import { withTraining, type Backend, type FusedInferenceKernels, type TrainingKernels } from '../../runtime/backend.ts';
import { adamTraining } from './adam.ts';
import { batchNormTraining } from './batch-norm.ts';
import { concatTraining } from './concat.ts';
import { conv1dCausalTraining } from './conv1d-causal.ts';
import { conv2dTraining } from './conv2d.ts';
import { denseTraining } from './dense.ts';
import { createWebGpuInference } from './inference.ts';
import { mulTraining } from './mul.ts';
import { reduceSumTraining } from './reduce-sum.ts';
import { reluTraining } from './relu.ts';
import { sigmoidTraining } from './sigmoid.ts';
import { softmaxCrossEntropyTraining } from './softmax-cross-entropy.ts';
import { spatialDropoutTraining } from './spatial-dropout.ts';
import type { GpuTensors } from './tensors.ts';
import { weightedSumTraining } from './weighted-sum.ts';

/** The training kernels of src/runtime/backend.ts as WGSL compute shaders on one device. */
function webGpuTraining(g: GpuTensors): TrainingKernels {
  return {
    reduceSum: reduceSumTraining(g),
    relu: reluTraining(g),
    sigmoid: sigmoidTraining(g),
    mul: mulTraining(g),
    spatialDropout: spatialDropoutTraining(g),
    concat: concatTraining(g),
    dense: denseTraining(g),
    conv2d: conv2dTraining(g),
    conv1dCausal: conv1dCausalTraining(g),
    batchNorm: batchNormTraining(g),
    weightedSum: weightedSumTraining(g),
    softmaxCrossEntropy: softmaxCrossEntropyTraining(g),
    adam: adamTraining(g),
  };
}

/** The whole WebGPU backend: inference (fused kernels included) and training kernels on one device. */
export function createWebGpuBackend(g: GpuTensors): Backend & FusedInferenceKernels {
  return withTraining(createWebGpuInference(g), webGpuTraining(g));
}
