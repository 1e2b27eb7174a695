/**
 * Node entry to the wasm backend: build/network-mt.wasm (inference) or build/network-train.wasm read from the
 * package, both shared-memory builds, with worker threads (node:worker_threads).
 */
import { createWasmInference } from '../../backends/wasm/inference.ts';
import { createWasmBackend } from '../../backends/wasm/training.ts';
import { compileNetwork, instantiateNetwork, type NetworkExports, type NetworkTrainingExports } from '../../backends/wasm/exports.ts';
import type { WasmBackendExtras } from '../../backends/wasm/open.ts';
import type { WasmTensorOptions } from '../../backends/wasm/tensors.ts';
import type { Backend, InferenceBackend } from '../../runtime/backend.ts';
import { readAsset } from './assets.ts';
import { nodeWorkers } from './workers.ts';

/** Options of a Node wasm backend: `threads` defaults to 1 here (the CLI and the library pass defaultWasmThreads()). */
export interface NodeWasmOptions extends WasmTensorOptions {
  readonly threads?: number;
}

/** The package's build/network-mt.wasm (made by `npm run build:wasm`): the inference kernels on shared memory. */
export function readNetworkWasm(): Uint8Array {
  return readAsset('build/network-mt.wasm');
}

/** The 'wasm' inference backend on a new instance of the package's build/network-mt.wasm. */
export function openWasmInference(options: NodeWasmOptions = {}): Promise<InferenceBackend & WasmBackendExtras> {
  return createWasmInference(readNetworkWasm(), withWorkers(options));
}

/** The package's build/network-train.wasm: build/network.wasm's kernels plus the training entries. */
export function readNetworkTrainingWasm(): Uint8Array {
  return readAsset('build/network-train.wasm');
}

/** The whole 'wasm' backend (inference and training) on a new instance of the package's build/network-train.wasm. */
export function openWasmBackend(options: NodeWasmOptions = {}): Promise<Backend & WasmBackendExtras> {
  return createWasmBackend(readNetworkTrainingWasm(), withWorkers(options));
}

/** A bare instance of build/network-train.wasm (tests: the counter hash). */
export async function instantiateNetworkTrainingFile(): Promise<NetworkTrainingExports> {
  return instantiateNetwork<NetworkTrainingExports>(await compileNetwork(readNetworkTrainingWasm(), true));
}

/** A bare instance of build/network-mt.wasm (benchmarks: the SIMD peak probe). */
export async function instantiateNetworkFile(): Promise<NetworkExports> {
  return instantiateNetwork(await compileNetwork(readNetworkWasm(), true));
}

function withWorkers({ threads = 1, ...options }: NodeWasmOptions) {
  return { ...options, threads: { count: threads, platform: nodeWorkers } };
}
