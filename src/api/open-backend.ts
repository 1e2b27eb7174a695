import { acquireGpu, type AdapterDescription, type GpuSource } from '../backends/webgpu/device.ts';
import { createDispatchContext } from '../backends/webgpu/dispatch.ts';
import { createWebGpuInference } from '../backends/webgpu/inference.ts';
import type { ShaderLoader } from '../backends/webgpu/pipeline-cache.ts';
import { GpuTensors } from '../backends/webgpu/tensors.ts';
import { GpuError, MsseError } from '../errors.ts';
import type { InferenceBackend } from '../runtime/backend.ts';
import type { OpenInference } from './model.ts';
import type { BackendChoice } from './types.ts';

/** What a platform gives the library: its way to WebGPU adapters (none where it has no WebGPU), the WGSL, and the reference. */
export interface InferencePlatform {
  /** Undefined where the platform has no WebGPU at all (a browser without navigator.gpu). */
  readonly gpu: GpuSource | undefined;
  readonly shaders: ShaderLoader;
  /** The float64 reference's inference kernels; a page loads them only when asked for (a chunk of its own). */
  reference(): Promise<InferenceBackend>;
}

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'wasm', 'reference'];

/**
 * Opens the inference backend `choice` names. `webgpu` and `auto` take the first adapter the platform offers;
 * without one, both fail with one sentence saying what is missing (`auto` has nothing else to take until the
 * WebAssembly backend exists, issue 16). `reference` is the float64 specification on the CPU: exact and slow.
 */
export async function openInference(choice: BackendChoice, platform: InferencePlatform, signal?: AbortSignal): Promise<OpenInference> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new MsseError(`unknown backend ${JSON.stringify(choice)}; expected one of ${BACKEND_CHOICES.join(', ')}`);
  }
  if (choice === 'reference') {
    const info = { name: 'reference', adapter: undefined, description: 'reference (float64 TypeScript on the CPU)' } as const;
    return { backend: await platform.reference(), info, tensors: undefined, close() {} };
  }
  if (choice === 'wasm') {
    throw new MsseError("backend 'wasm': msse's WebAssembly backend is not built yet; use 'webgpu', or 'reference' (float64, slow)");
  }
  if (platform.gpu === undefined) {
    throw new GpuError(`backend '${choice}': this browser has no WebGPU (navigator.gpu is missing); use one with WebGPU, or backend 'reference'`);
  }
  const gpu = await acquireGpu(platform.gpu, signal === undefined ? {} : { signal }).catch((error: unknown) => {
    if (!(error instanceof GpuError) || !error.message.startsWith('no WebGPU adapter')) throw error;
    throw new GpuError(`backend '${choice}': ${error.message}; or use backend 'reference' (float64 on the CPU, slow)`, { cause: error });
  });
  const tensors = new GpuTensors(createDispatchContext(gpu, platform.shaders));
  const info = { name: 'webgpu', adapter: gpu.adapter, description: `webgpu on ${describeAdapter(gpu.adapter)}` } as const;
  return { backend: createWebGpuInference(tensors), info, tensors, close: () => gpu.destroy() };
}

/**
 * `llvmpipe-llvm-15-0-6-256-bits-, OpenGL version OpenGL ES 3.2 Mesa 22.3.6 (opengles, compatibility)`: what the
 * adapter says of itself (Chromium hides it all on some paths), how it was reached, and whether it is software.
 */
export function describeAdapter(adapter: AdapterDescription): string {
  const said = [...new Set([adapter.device, adapter.description, adapter.vendor].filter((s) => s !== ''))];
  const name = said.length > 0 ? said.join(', ') : 'an unnamed adapter';
  const software = adapter.isFallback ? ', software fallback' : '';
  return `${name} (${adapter.backend}, ${adapter.featureLevel}${software})`;
}
