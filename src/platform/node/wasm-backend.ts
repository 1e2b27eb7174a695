/** Node entry to the wasm backend: build/network.wasm read from the package. */
import { createWasmInference } from '../../backends/wasm/inference.ts';
import { instantiateNetwork, type NetworkExports } from '../../backends/wasm/exports.ts';
import type { WasmTensorOptions } from '../../backends/wasm/tensors.ts';
import type { InferenceBackend } from '../../runtime/backend.ts';
import { readAsset } from './assets.ts';

/** The package's build/network.wasm (made by `npm run build:wasm`). */
export function readNetworkWasm(): Uint8Array {
  return readAsset('build/network.wasm');
}

/** The 'wasm' inference backend on a new instance of the package's build/network.wasm. */
export function openWasmInference(options: WasmTensorOptions = {}): Promise<InferenceBackend> {
  return createWasmInference(readNetworkWasm(), options);
}

/** A bare instance of build/network.wasm (benchmarks: the SIMD peak probe). */
export function instantiateNetworkFile(): Promise<NetworkExports> {
  return instantiateNetwork(readNetworkWasm());
}
