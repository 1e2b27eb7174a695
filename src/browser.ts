/**
 * msse in the browser: `import { loadModel } from 'msse'` through a bundler, or dist/web/msse.js from a page.
 * WebGPU through navigator.gpu; the WebAssembly front end (mfcc.wasm) and the shipped model are files beside this
 * module; the inference WGSL is inlined at build time (scripts/web/build.ts), forward entry points only.
 */
import { browserGpuSource } from './backends/webgpu/device.ts';
import { createMfccExtractor } from './audio/mfcc-wasm.ts';
import { fetchBytes } from './api/fetch-bytes.ts';
import { loadFrom, type ModelBytes } from './api/load.ts';
import type { LoadOptions, MsseModel } from './api/types.ts';
import { MsseError } from './errors.ts';

export type * from './api/types.ts';
export { decodeWav, type DecodedWav } from './audio/wav.ts';
export { MsseError, FormatError, GpuError, WavError } from './errors.ts';

/** Family → WGSL of its inference entry points, comments stripped: set by the web build (esbuild `define`). */
declare const MSSE_INFERENCE_WGSL: Readonly<Record<string, string>>;

/**
 * Loads a model: `source` a URL (relative to the page), the safetensors bytes (ArrayBuffer or Uint8Array), or
 * nothing for the EMO-DB model shipped beside this module (emodb.safetensors). `options.onProgress` follows the
 * download. 'auto' (default) and 'webgpu' take navigator.gpu's adapter; without one they fail saying so.
 */
export async function loadModel(source?: string | URL | ArrayBuffer | Uint8Array, options: LoadOptions = {}): Promise<MsseModel> {
  const [model, wasm] = await Promise.all([readModel(source, options), fetchBytes(new URL('./mfcc.wasm', import.meta.url).href)]);
  const extractor = await createMfccExtractor(wasm);
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  const shaders = (family: string): string => {
    const code = MSSE_INFERENCE_WGSL[family];
    if (code === undefined) throw new MsseError(`no inference WGSL for '${family}' in this bundle`);
    return code;
  };
  // The reference is a chunk of its own (dist/web/msse-reference-*.js), fetched only by backend 'reference'.
  const reference = async () => (await import('./backends/reference/inference.ts')).referenceInference;
  return loadFrom(model, extractor, { gpu: gpu === undefined ? undefined : browserGpuSource(gpu), shaders, reference }, options);
}

async function readModel(source: string | URL | ArrayBuffer | Uint8Array | undefined, options: LoadOptions): Promise<ModelBytes> {
  if (source instanceof Uint8Array) return { bytes: source, file: 'model bytes' };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), file: 'model bytes' };
  const url = source === undefined ? new URL('./emodb.safetensors', import.meta.url) : new URL(String(source), globalThis.location?.href);
  return { bytes: await fetchBytes(url.href, options.onProgress, options.signal), file: url.href };
}
