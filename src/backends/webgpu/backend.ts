import type { Backend } from '../../runtime/backend.ts';
import { adamKernels } from './adam.ts';
import { addKernels } from './add.ts';
import { batchNormKernels } from './batch-norm.ts';
import { concatKernels } from './concat.ts';
import { conv1dCausalKernels } from './conv1d-causal.ts';
import { conv2dKernels } from './conv2d.ts';
import { denseKernels } from './dense.ts';
import { mulKernels } from './mul.ts';
import { reduceSumKernels } from './reduce-sum.ts';
import { reluKernels } from './relu.ts';
import { reverseTimeKernels } from './reverse-time.ts';
import { sigmoidKernels } from './sigmoid.ts';
import { softmaxCrossEntropyKernels } from './softmax-cross-entropy.ts';
import { spatialDropoutKernels } from './spatial-dropout.ts';
import type { GpuTensors } from './tensors.ts';
import { weightedSumKernels } from './weighted-sum.ts';

/**
 * The WebGPU backend: every kernel family of src/runtime/backend.ts as WGSL compute shaders on one device.
 * Kernels only record dispatches; `read` submits what was recorded (one command buffer per step) and maps the result.
 */
export function createWebGpuBackend(g: GpuTensors): Backend {
  return {
    name: 'webgpu',
    upload: (values, shape, name, options) => g.upload(values, shape, name, options),
    dispose: (tensor) => g.dispose(tensor),
    release: (tensor) => g.release(tensor),
    read: (tensor) => g.read(tensor),
    releaseTransients: () => g.releaseTransients(),
    add: addKernels(g),
    reduceSum: reduceSumKernels(g),
    relu: reluKernels(g),
    sigmoid: sigmoidKernels(g),
    mul: mulKernels(g),
    spatialDropout: spatialDropoutKernels(g),
    concat: concatKernels(g),
    reverseTime: reverseTimeKernels(g),
    dense: denseKernels(g),
    conv2d: conv2dKernels(g),
    conv1dCausal: conv1dCausalKernels(g),
    batchNorm: batchNormKernels(g),
    weightedSum: weightedSumKernels(g),
    softmaxCrossEntropy: softmaxCrossEntropyKernels(g),
    adam: adamKernels(g),
  };
}
