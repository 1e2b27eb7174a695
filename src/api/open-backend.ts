import { findAdapter, type AdapterDescription, type FoundAdapter, type GpuContext, type GpuSource } from '../backends/webgpu/device.ts';
import type { GpuTensors } from '../backends/webgpu/tensors.ts';
import { GpuError, MsseError } from '../errors.ts';
import type { InferenceBackend } from '../runtime/backend.ts';
import type { WasmBackendExtras } from '../backends/wasm/open.ts';
import type { OpenInference } from './model.ts';
import type { BackendChoice, BackendInfo } from './types.ts';

/**
 * What a platform gives the library: its way to WebGPU adapters (none where it has no WebGPU), and each backend's
 * inference kernels. A page fetches each backend's code (and the wasm module) only when it opens that backend.
 */
export interface InferencePlatform {
  /** Undefined where the platform has no WebGPU at all (a browser without navigator.gpu). */
  readonly gpu: GpuSource | undefined;
  /** The WebGPU inference kernels on an open device, with the WGSL the platform has. */
  webgpu(gpu: GpuContext): Promise<{ readonly backend: InferenceBackend; readonly tensors: GpuTensors }>;
  /** The WebAssembly SIMD kernels on `threads` threads (undefined: the platform's default). */
  wasm(threads: number | undefined): Promise<InferenceBackend & WasmBackendExtras>;
  /** The float64 reference's kernels. */
  reference(): Promise<InferenceBackend>;
}

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'wasm', 'reference'];

const REFERENCE_DESCRIPTION = 'reference (float64 TypeScript on the CPU)';

/**
 * Opens the inference backend `choice` names. `auto` takes WebGPU on a hardware adapter and the WebAssembly backend
 * where the adapter is a software one (softwareAdapter) or there is none, and says which in `info`. `webgpu` fails
 * with one sentence where there is no adapter. `reference` is the float64 specification: exact and slow.
 */
export async function openInference(
  choice: BackendChoice,
  platform: InferencePlatform,
  { signal, threads }: { readonly signal?: AbortSignal | undefined; readonly threads?: number | undefined } = {},
): Promise<OpenInference> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new MsseError(`unknown backend ${JSON.stringify(choice)}; expected one of ${BACKEND_CHOICES.join(', ')}`);
  }
  if (choice === 'reference') return onCpu(await platform.reference(), { name: 'reference', adapter: undefined, description: REFERENCE_DESCRIPTION });
  if (choice === 'wasm') return onWasm(await platform.wasm(threads), undefined, '');
  const found = platform.gpu === undefined ? undefined : await findAdapter(platform.gpu, signal === undefined ? {} : { signal });
  if (choice === 'auto' && (found === undefined || softwareAdapter(found.description))) {
    found?.release();
    const why = found === undefined ? 'no WebGPU adapter' : `the WebGPU adapter is software: ${describeAdapter(found.description)}`;
    return onWasm(await platform.wasm(threads), found?.description, `; ${why}`);
  }
  if (found === undefined) throw noAdapter(platform.gpu);
  return openWebGpu(found, platform);
}

/**
 * Whether an adapter computes on the CPU: a fallback (SwiftShader), a Mesa software rasterizer by name, or one
 * that says nothing of itself (Chromium's ANGLE path to llvmpipe; a hardware adapter in Chrome reports its vendor).
 * There the WebAssembly backend is the faster: 4.3 ms against 44 ms per batch-1 forward on llvmpipe here
 * (bench/RESULTS.md).
 */
export function softwareAdapter(adapter: AdapterDescription): boolean {
  const said = [adapter.vendor, adapter.architecture, adapter.device, adapter.description];
  return adapter.isFallback || said.every((s) => s === '') || said.some((s) => /llvmpipe|lavapipe|softpipe|swiftshader/i.test(s));
}

async function openWebGpu(found: FoundAdapter, platform: InferencePlatform): Promise<OpenInference> {
  const gpu = await found.open();
  try {
    const { backend, tensors } = await platform.webgpu(gpu);
    const info = { name: 'webgpu', adapter: gpu.adapter, description: `webgpu on ${describeAdapter(gpu.adapter)}` } as const;
    return { backend, info, tensors, close: () => gpu.destroy() };
  } catch (error) {
    gpu.destroy();
    throw error;
  }
}

function onCpu(backend: InferenceBackend, info: BackendInfo): OpenInference {
  return { backend, info, tensors: undefined, close() {} };
}

/** 'one thread', '2 threads'. */
export function threadWords(count: number): string {
  return count === 1 ? 'one thread' : `${count} threads`;
}

/** `wasm (WebAssembly SIMD128 on the CPU, 2 threads)` and why auto took it (`reason`). */
function onWasm(backend: InferenceBackend & WasmBackendExtras, adapter: AdapterDescription | undefined, reason: string): OpenInference {
  const description = `wasm (WebAssembly SIMD128 on the CPU, ${threadWords(backend.threadCount)}${backend.threadNote})${reason}`;
  return { backend, info: { name: 'wasm', adapter, description }, tensors: undefined, close: () => backend.close() };
}

function noAdapter(source: GpuSource | undefined): GpuError {
  if (source === undefined) {
    return new GpuError("backend 'webgpu': this browser has no WebGPU (navigator.gpu is missing); use backend 'wasm' or 'auto'");
  }
  const tried = source.candidates.map((c) => c.what).join(', ');
  return new GpuError(`backend 'webgpu': no WebGPU adapter (tried ${tried}); ${source.hint}; or use backend 'wasm' or 'auto'`);
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
