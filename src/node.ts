/**
 * msse for Node: `import { loadModel } from 'msse'`. WebGPU through Dawn (npm `webgpu`; Mesa llvmpipe where there
 * is no GPU), the WebAssembly front end and the shipped model read from the package.
 */
import { fetchBytes } from './api/fetch-bytes.ts';
import { referenceInference } from './backends/reference/inference.ts';
import { loadFrom, type ModelBytes } from './api/load.ts';
import type { LoadOptions, MsseModel } from './api/types.ts';
import { FormatError } from './errors.ts';
import { packageRoot, readAsset, readShaderFile } from './platform/node/assets.ts';
import { dawnGpuSource } from './platform/node/dawn.ts';
import { createMfccExtractor } from './platform/node/mfcc.ts';
import { readFileOr } from './platform/node/read-file.ts';

export type * from './api/types.ts';
export { decodeWav, type DecodedWav } from './audio/wav.ts';
export { MsseError, FormatError, GpuError, WavError } from './errors.ts';

/** The shipped EMO-DB model, relative to the package root. */
const SHIPPED_MODEL = 'models/emodb.safetensors';

/**
 * Loads a model: `source` a file path, an http(s) or file URL, the safetensors bytes (ArrayBuffer or Uint8Array),
 * or nothing for the EMO-DB model shipped in the package. See MsseModel for what it does; `options.backend`:
 * 'auto' (default) and 'webgpu' take Dawn's first adapter (a GPU, else Mesa llvmpipe), 'reference' the float64
 * reference on the CPU.
 */
export async function loadModel(source?: string | URL | ArrayBuffer | Uint8Array, options: LoadOptions = {}): Promise<MsseModel> {
  const model = await readModel(source, options);
  const extractor = await createMfccExtractor();
  return loadFrom(model, extractor, { gpu: dawnGpuSource(), shaders: readShaderFile, reference: async () => referenceInference }, options);
}

async function readModel(source: string | URL | ArrayBuffer | Uint8Array | undefined, options: LoadOptions): Promise<ModelBytes> {
  if (source instanceof Uint8Array) return { bytes: source, file: 'model bytes' };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), file: 'model bytes' };
  if (source === undefined) {
    const file = `${packageRoot()}/${SHIPPED_MODEL}`;
    return { bytes: readFileOr(file, FormatError), file };
  }
  const text = String(source);
  if (/^https?:\/\//i.test(text)) return { bytes: await fetchBytes(text, options.onProgress, options.signal), file: text };
  const file = text.startsWith('file:') ? decodeURIComponent(new URL(text).pathname) : text;
  return { bytes: readFileOr(file, FormatError), file };
}

/** The package's build/mfcc.wasm, for callers that build their own front end. */
export function frontEndWasm(): Uint8Array {
  return readAsset('build/mfcc.wasm');
}
