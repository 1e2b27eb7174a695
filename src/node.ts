/**
 * msse for Node: `import { loadModel } from 'msse'`. WebGPU through Dawn (npm `webgpu`; Mesa llvmpipe where there
 * is no GPU) or the WebAssembly SIMD backend, the WebAssembly front end and the shipped model read from the package.
 */
import { fetchBytes } from './api/fetch-bytes.ts';
import type { InferencePlatform } from './api/open-backend.ts';
import { referenceInference } from './backends/reference/inference.ts';
import { webGpuInferenceOn } from './backends/webgpu/inference.ts';
import { loadFrom, type ModelBytes } from './api/load.ts';
import type { LoadOptions, MsseModel } from './api/types.ts';
import { FormatError } from './errors.ts';
import { packageRoot, readAsset, readShaderFile } from './platform/node/assets.ts';
import { dawnGpuSource } from './platform/node/dawn.ts';
import { createMfccExtractor } from './platform/node/mfcc.ts';
import { readFileOr } from './platform/node/read-file.ts';
import { openWasmInference } from './platform/node/wasm-backend.ts';
import { defaultWasmThreads } from './platform/node/workers.ts';

export type * from './api/types.ts';
export { decodeWav, type DecodedWav } from './audio/wav.ts';
export { MsseError, FormatError, GpuError, WavError } from './errors.ts';

/** The shipped EMO-DB model, relative to the package root. */
const SHIPPED_MODEL = 'models/emodb.safetensors';

/**
 * Loads a model: `source` a file path, an http(s) or file URL, the safetensors bytes (ArrayBuffer or Uint8Array),
 * or nothing for the EMO-DB model shipped in the package. See MsseModel for what it does; `options.backend`:
 * 'auto' (default) takes WebGPU on a GPU and the WebAssembly backend where Dawn's adapter is Mesa's software one,
 * 'webgpu' and 'wasm' insist, 'reference' is the float64 reference on the CPU.
 */
export async function loadModel(source?: string | URL | ArrayBuffer | Uint8Array, options: LoadOptions = {}): Promise<MsseModel> {
  const model = await readModel(source, options);
  const extractor = await createMfccExtractor();
  return loadFrom(model, extractor, nodePlatform(), options);
}

/** Node's backends: Dawn's adapters with shaders/ read from the package, build/network.wasm, the reference. */
function nodePlatform(): InferencePlatform {
  return {
    gpu: dawnGpuSource(),
    webgpu: async (gpu) => webGpuInferenceOn(gpu, readShaderFile),
    wasm: (threads) => openWasmInference({ threads: threads ?? defaultWasmThreads() }),
    reference: async () => referenceInference,
  };
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
