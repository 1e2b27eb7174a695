/** The page's WebAssembly SIMD backend, a chunk of its own: its host code, and network.wasm fetched beside it. */
import { fetchBytes } from '../../api/fetch-bytes.ts';
import { createWasmInference } from '../../backends/wasm/inference.ts';
import type { InferenceBackend } from '../../runtime/backend.ts';

export async function wasmInference(): Promise<InferenceBackend> {
  return createWasmInference(await fetchBytes(new URL('./network.wasm', import.meta.url).href));
}
