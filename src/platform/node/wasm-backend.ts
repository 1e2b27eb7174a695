/** Node entry to the wasm backend: build/network.wasm (inference) or build/network-train.wasm read from the package. */
import { createWasmInference } from '../../backends/wasm/inference.ts';
import { createWasmBackend } from '../../backends/wasm/training.ts';
import { instantiateNetwork, type NetworkExports, type NetworkTrainingExports } from '../../backends/wasm/exports.ts';
import type { WasmTensorOptions } from '../../backends/wasm/tensors.ts';
import type { Backend, InferenceBackend } from '../../runtime/backend.ts';
import { readAsset } from './assets.ts';

/** The package's build/network.wasm (made by `npm run build:wasm`). */
export function readNetworkWasm(): Uint8Array {
  return readAsset('build/network.wasm');
}

/** The 'wasm' inference backend on a new instance of the package's build/network.wasm. */
export function openWasmInference(options: WasmTensorOptions = {}): Promise<InferenceBackend> {
  return createWasmInference(readNetworkWasm(), options);
}

/** The package's build/network-train.wasm: build/network.wasm's kernels plus the training entries. */
export function readNetworkTrainingWasm(): Uint8Array {
  return readAsset('build/network-train.wasm');
}

/** The whole 'wasm' backend (inference and training) on a new instance of the package's build/network-train.wasm. */
export function openWasmBackend(options: WasmTensorOptions = {}): Promise<Backend> {
  return createWasmBackend(readNetworkTrainingWasm(), options);
}

/** A bare instance of build/network-train.wasm (tests: the counter hash). */
export function instantiateNetworkTrainingFile(): Promise<NetworkTrainingExports> {
  return instantiateNetwork<NetworkTrainingExports>(readNetworkTrainingWasm());
}

/** A bare instance of build/network.wasm (benchmarks: the SIMD peak probe). */
export function instantiateNetworkFile(): Promise<NetworkExports> {
  return instantiateNetwork(readNetworkWasm());
}
