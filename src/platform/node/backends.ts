import { referenceBackend } from '../../backends/reference/index.ts';
import { createWebGpuBackend } from '../../backends/webgpu/backend.ts';
import { acquireGpu, type AcquireOptions, type GpuContext } from '../../backends/webgpu/device.ts';
import { createDispatchContext } from '../../backends/webgpu/dispatch.ts';
import { GpuTensors } from '../../backends/webgpu/tensors.ts';
import type { Backend } from '../../runtime/backend.ts';
import { readShaderFile } from './assets.ts';
import { dawnGpuSource } from './dawn.ts';
import { expectPassFits } from '../../backends/webgpu/pass-fits.ts';
import { openWasmBackend } from './wasm-backend.ts';
import { defaultWasmThreads } from './workers.ts';

export const BACKEND_NAMES = ['webgpu', 'wasm', 'reference'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** An open backend and how to let go of it (the GPU device, when there is one). */
export interface OpenBackend {
  readonly backend: Backend;
  /** The device behind a webgpu backend, for `msse inspect --ops`; undefined for the wasm and reference backends. */
  readonly gpu: GpuContext | undefined;
  readonly tensors: GpuTensors | undefined;
  close(): void;
}

/** A WebGPU device in Node: Dawn's default backend (a real GPU), else OpenGL ES on Mesa llvmpipe. */
export function openNodeGpu(options: AcquireOptions = {}): Promise<GpuContext> {
  return acquireGpu(dawnGpuSource(), options);
}

/**
 * Opens a backend by name in Node: `webgpu` acquires a device (a real GPU, else Mesa's software path) and reads
 * shaders/ from the package; `wasm` instantiates build/network-train.wasm (WebAssembly SIMD128 on the CPU, on
 * `threads` threads, default the cores up to 4); `reference` is the float64 specification. No silent fallback from
 * one to another.
 */
export async function openBackend(name: BackendName, options: { poisonOutputs?: boolean; threads?: number | undefined } = {}): Promise<OpenBackend> {
  if (name === 'reference') return { backend: referenceBackend, gpu: undefined, tensors: undefined, close() {} };
  if (name === 'wasm') {
    const backend = await openWasmBackend({ ...options, threads: options.threads ?? defaultWasmThreads() });
    return { backend, gpu: undefined, tensors: undefined, close: () => backend.close() };
  }
  const gpu = await openNodeGpu();
  const tensors = new GpuTensors(createDispatchContext(gpu, readShaderFile), options);
  return { backend: createWebGpuBackend(tensors), gpu, tensors, close: () => gpu.destroy() };
}

/**
 * Checks that a pass whose largest tensor is `bytes` fits the device of `open` (expectPassFits); nothing to check
 * on the reference and wasm backends (host arrays; linear memory grows on demand up to WebAssembly's 4 GiB).
 * @throws GpuError naming the pass, the sizes and `advice`
 */
export function expectFitsBackend(open: OpenBackend, bytes: number, what: string, advice: string): void {
  if (open.gpu !== undefined) expectPassFits(open.gpu.limits, bytes, what, advice);
}
