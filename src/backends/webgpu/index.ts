// The WebGPU backend's public surface: device bootstrap and the dispatch tools kernels are built on.
// Platform-free: adapters come from a GpuSource (browserGpuSource here, Dawn in src/platform/node/dawn.ts) and
// WGSL from a ShaderLoader.
export { acquireGpu, browserGpuSource, settleWithin } from './device.ts';
export type {
  AcquireOptions,
  AdapterCandidate,
  AdapterDescription,
  GpuBackendName,
  GpuContext,
  GpuEntry,
  GpuFeatureLevel,
  GpuSource,
} from './device.ts';
export { ErrorTracker } from './error-tracker.ts';
export { BufferPool, sizeClassBytes } from './buffer-pool.ts';
export { createDispatchContext, dispatch } from './dispatch.ts';
export type { DispatchContext } from './dispatch.ts';
export { dispatchSize, MAX_WORKGROUPS_PER_DIMENSION, WORKGROUP_SIZE } from './dispatch-size.ts';
export { packParams } from './params.ts';
export type { ParamsFields, ParamsFieldType, ParamsValues } from './params.ts';
export { DEFAULT_CONSTANTS, PipelineCache } from './pipeline-cache.ts';
export type { OverrideConstants, ShaderLoader } from './pipeline-cache.ts';
export { poison } from './poison.ts';
export { readback, upload } from './transfer.ts';
export { UniformCache } from './uniforms.ts';
export { reluBackward, reluForward } from './relu.ts';
export { createWebGpuBackend } from './backend.ts';
export { createWebGpuInference } from './inference.ts';
export { GpuTensors } from './tensors.ts';
export type { GpuStorage, GpuTensorOptions } from './tensors.ts';
export { captureDispatches, timeDispatches } from './profiler.ts';
export type { DispatchTimes } from './profiler.ts';
export { dispatchCost } from './cost.ts';
export type { DispatchCost } from './cost.ts';
export type { DispatchRecord } from './recorder.ts';
