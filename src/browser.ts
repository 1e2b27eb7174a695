/**
 * msse in the browser: `import { loadModel } from 'msse'` through a bundler, or dist/web/msse.js from a page.
 * WebGPU through navigator.gpu (its kernels and inference WGSL, forward entry points only, inlined by the web
 * build), or the WebAssembly SIMD backend (network.wasm); the front end (mfcc.wasm) and the shipped model are files
 * beside this module.
 */
import { browserGpuSource } from './backends/webgpu/device.ts';
import { createMfccExtractor } from './audio/mfcc-wasm.ts';
import { fetchBytes } from './api/fetch-bytes.ts';
import { loadFrom, type ModelBytes } from './api/load.ts';
import type { InferencePlatform } from './api/open-backend.ts';
import type { LoadOptions, MsseModel } from './api/types.ts';

export type * from './api/types.ts';
export { decodeWav, type DecodedWav } from './audio/wav.ts';
export { MsseError, FormatError, GpuError, WavError } from './errors.ts';

/**
 * Loads a model: `source` a URL (relative to the page), the safetensors bytes (ArrayBuffer or Uint8Array), or
 * nothing for the EMO-DB model shipped beside this module (emodb.safetensors). `options.onProgress` follows the
 * download. 'auto' (default) takes WebGPU on a hardware adapter and the WebAssembly backend where there is none or it
 * is a software one; 'webgpu', 'wasm' and 'reference' insist.
 */
export async function loadModel(source?: string | URL | ArrayBuffer | Uint8Array, options: LoadOptions = {}): Promise<MsseModel> {
  const [model, wasm] = await Promise.all([readModel(source, options), fetchBytes(new URL('./mfcc.wasm', import.meta.url).href)]);
  const extractor = await createMfccExtractor(wasm);
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  // Each backend is a chunk of its own (dist/web/msse-*.js), fetched only when it runs the model.
  const platform: InferencePlatform = {
    gpu: gpu === undefined ? undefined : browserGpuSource(gpu),
    webgpu: async (context) => (await import('./platform/browser/webgpu.ts')).webGpuInference(context),
    wasm: async (threads) => (await import('./platform/browser/wasm.ts')).wasmInference(threads),
    reference: async () => (await import('./backends/reference/inference.ts')).referenceInference,
  };
  return loadFrom(model, extractor, platform, options);
}

async function readModel(source: string | URL | ArrayBuffer | Uint8Array | undefined, options: LoadOptions): Promise<ModelBytes> {
  if (source instanceof Uint8Array) return { bytes: source, file: 'model bytes' };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), file: 'model bytes' };
  const url = source === undefined ? new URL('./emodb.safetensors', import.meta.url) : new URL(String(source), globalThis.location?.href);
  return { bytes: await fetchBytes(url.href, options.onProgress, options.signal), file: url.href };
}
