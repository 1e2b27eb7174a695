/** Node entry to the WebAssembly MFCC front end: the same extractor, with build/mfcc.wasm read from the package. */
import { readAsset } from './assets.ts';
import { createMfccExtractor as createFromBytes, type MfccExtractor } from '../../audio/mfcc-wasm.ts';

/** `createMfccExtractor` of mfcc-wasm.ts; `wasmBytes` defaults to the package's build/mfcc.wasm. */
export function createMfccExtractor(wasmBytes: Uint8Array = readAsset('build/mfcc.wasm')): Promise<MfccExtractor> {
  return createFromBytes(wasmBytes);
}
