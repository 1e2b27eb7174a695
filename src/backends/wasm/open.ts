import { compileNetwork, instantiateNetwork, type NetworkExports } from './exports.ts';
import { WasmTensors, type WasmTensorOptions } from './tensors.ts';
import { MAX_THREADS, WasmThreads, type WorkerPlatform } from './threads.ts';
import { MsseError } from '../../errors.ts';

/** How to open a wasm backend. */
export interface WasmOptions extends WasmTensorOptions {
  /**
   * Threads, and how this platform starts workers. Given, the bytes must be a shared-memory build (network-mt.wasm,
   * network-train.wasm) and `count − 1` workers share its memory; absent, a plain build (network.wasm) runs here alone.
   */
  readonly threads?: { readonly count: number; readonly platform: WorkerPlatform };
}

/** What every wasm backend adds to the kernel interface: its thread count, and close (stops the workers). */
export interface WasmBackendExtras {
  readonly threadCount: number;
  /** Why the count is what it is, where that is not the caller's choice (', the page is not cross-origin isolated'). */
  readonly threadNote: string;
  close(): void;
}

/** Compiles a network build, instantiates it here, starts its workers: the tensors a wasm backend runs on. */
export async function openWasmTensors<K extends NetworkExports>(wasmBytes: Uint8Array, options: WasmOptions = {}): Promise<WasmTensors<K>> {
  const { threads } = options;
  if (threads !== undefined && !(Number.isInteger(threads.count) && threads.count >= 1 && threads.count <= MAX_THREADS)) {
    throw new MsseError(`wasm backend: threads must be a whole number from 1 to ${MAX_THREADS}, got ${threads.count}`);
  }
  const network = await compileNetwork(wasmBytes, threads !== undefined);
  const kernels = await instantiateNetwork<K>(network);
  const pool = threads === undefined || threads.count === 1 ? undefined : await WasmThreads.start(network.module, network.memory, threads.count, threads.platform);
  return new WasmTensors(kernels, options, pool);
}

/** The extras of a backend on `w`. */
export function wasmExtras(w: WasmTensors<NetworkExports>): WasmBackendExtras {
  return { threadCount: w.threads?.count ?? 1, threadNote: '', close: () => w.threads?.close() };
}
