import type { Backend } from '../runtime/backend.ts';
import { referenceBackend } from './reference/index.ts';
import { createWebGpuBackend } from './webgpu/backend.ts';
import { acquireGpu, type GpuContext } from './webgpu/device.ts';
import { createDispatchContext } from './webgpu/dispatch.ts';
import { readShaderFile } from './webgpu/node-shader-loader.ts';
import { GpuTensors } from './webgpu/tensors.ts';

export const BACKEND_NAMES = ['webgpu', 'reference'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** An open backend and how to let go of it (the GPU device, when there is one). */
export interface OpenBackend {
  readonly backend: Backend;
  /** The device behind a webgpu backend, for `msse inspect --ops`; undefined for the reference backend. */
  readonly gpu: GpuContext | undefined;
  readonly tensors: GpuTensors | undefined;
  close(): void;
}

/**
 * Opens a backend by name in Node: `webgpu` acquires a device (a real GPU, else Mesa's software path) and reads
 * shaders/ from the package; `reference` is the float64 specification. No silent fallback from one to the other.
 */
export async function openBackend(name: BackendName, options: { poisonOutputs?: boolean } = {}): Promise<OpenBackend> {
  if (name === 'reference') return { backend: referenceBackend, gpu: undefined, tensors: undefined, close() {} };
  const gpu = await acquireGpu();
  const tensors = new GpuTensors(createDispatchContext(gpu, readShaderFile), options);
  return { backend: createWebGpuBackend(tensors), gpu, tensors, close: () => gpu.destroy() };
}
