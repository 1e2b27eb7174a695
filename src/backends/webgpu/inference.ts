import type { FusedInferenceBackend } from '../../runtime/backend.ts';
import type { GpuContext } from './device.ts';
import { createDispatchContext } from './dispatch.ts';
import type { ShaderLoader } from './pipeline-cache.ts';
import { addInference } from './add.ts';
import { batchNormInference } from './batch-norm.ts';
import { concatInference } from './concat.ts';
import { conv1dCausalInference } from './conv1d-causal.ts';
import { conv2dInference } from './conv2d.ts';
import { denseInference } from './dense.ts';
import { directionDenseInference } from './direction-dense.ts';
import { mulInference } from './mul.ts';
import { reduceSumInference } from './reduce-sum.ts';
import { reluInference } from './relu.ts';
import { reverseTimeInference } from './reverse-time.ts';
import { sigmoidInference } from './sigmoid.ts';
import { tabInferenceInference } from './tab-inference.ts';
import { GpuTensors } from './tensors.ts';
import { tfPathInference } from './tf-path.ts';
import { weightedSumInference } from './weighted-sum.ts';

/**
 * The WebGPU backend's inference part: every inference kernel of src/runtime/backend.ts as WGSL compute shaders
 * on one device, with the fused inference kernels (FusedInferenceKernels). Kernels only record dispatches; `read` submits what was recorded (one command buffer per step)
 * and maps the result.
 */
export function createWebGpuInference(g: GpuTensors): FusedInferenceBackend {
  return {
    name: 'webgpu',
    upload: (values, shape, name, options) => g.upload(values, shape, name, options),
    dispose: (tensor) => g.dispose(tensor),
    release: (tensor) => g.release(tensor),
    read: (tensor) => g.read(tensor),
    releaseTransients: () => g.releaseTransients(),
    add: addInference(g),
    reduceSum: reduceSumInference(g),
    relu: reluInference(g),
    sigmoid: sigmoidInference(g),
    mul: mulInference(g),
    concat: concatInference(g),
    reverseTime: reverseTimeInference(g),
    dense: denseInference(g),
    conv2d: conv2dInference(g),
    conv1dCausal: conv1dCausalInference(g),
    batchNorm: batchNormInference(g),
    weightedSum: weightedSumInference(g),
    tfPath: tfPathInference(g),
    directionDense: directionDenseInference(g),
    tabInference: tabInferenceInference(g),
  };
}

/** The inference backend on an open device, its WGSL from `shaders`, and the tensors behind it (for profiles). */
export function webGpuInferenceOn(gpu: GpuContext, shaders: ShaderLoader): { backend: FusedInferenceBackend; tensors: GpuTensors } {
  const tensors = new GpuTensors(createDispatchContext(gpu, shaders));
  return { backend: createWebGpuInference(tensors), tensors };
}
