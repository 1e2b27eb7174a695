/**
 * The page's WebAssembly SIMD backend, a chunk of its own: its host code, and the kernels fetched beside it. A
 * cross-origin isolated page (COOP + COEP, as `msse serve` sends) gets shared memory, so it runs network-mt.wasm on
 * up to four threads (workers started from a blob: URL); any other page runs network.wasm on its own thread.
 */
import { fetchBytes } from '../../api/fetch-bytes.ts';
import { createWasmInference } from '../../backends/wasm/inference.ts';
import type { WasmBackendExtras } from '../../backends/wasm/open.ts';
import type { WorkerPlatform } from '../../backends/wasm/threads.ts';
import { MsseError } from '../../errors.ts';
import type { InferenceBackend } from '../../runtime/backend.ts';

const pageWorkers: WorkerPlatform = {
  portExpression: 'self',
  // A page's main thread may not block in Atomics.wait; it polls while the workers finish their share.
  canBlock: false,
  start(source) {
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const worker = new Worker(url);
    URL.revokeObjectURL(url);
    return {
      postMessage: (message) => worker.postMessage(message),
      nextMessage: () =>
        new Promise((resolve) => {
          worker.addEventListener('message', (event) => resolve(event.data), { once: true });
          worker.addEventListener('error', (event) => resolve({ error: event.message }), { once: true });
        }),
      terminate: () => worker.terminate(),
    };
  },
};

/** Threads a page may use: its cores up to 4 where it is cross-origin isolated, else 1. */
function pageWasmThreads(): number {
  return isolated() ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
}

function isolated(): boolean {
  return globalThis.crossOriginIsolated === true;
}

/** The wasm backend on `threads` threads (default pageWasmThreads()); more than one needs an isolated page. */
export async function wasmInference(threads = pageWasmThreads()): Promise<InferenceBackend & WasmBackendExtras> {
  if (!isolated()) {
    if (threads > 1) throw new MsseError(`backend 'wasm': ${threads} threads need a cross-origin isolated page (COOP and COEP headers, as msse serve sends); this one can run 1`);
    const backend = await createWasmInference(await fetchBytes(new URL('./network.wasm', import.meta.url).href));
    return { ...backend, threadNote: ': the page is not cross-origin isolated' };
  }
  const bytes = await fetchBytes(new URL('./network-mt.wasm', import.meta.url).href);
  return createWasmInference(bytes, { threads: { count: threads, platform: pageWorkers } });
}
