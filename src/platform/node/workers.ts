/** Worker threads for the wasm backend in Node (node:worker_threads), and how many to use. */
import { availableParallelism } from 'node:os';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { WorkerPlatform } from '../../backends/wasm/threads.ts';

/** Threads the wasm backend uses by default: the cores this process may use, at most 4 (a batch-1 forward splits only two ways, by direction; more threads help only larger batches). */
export function defaultWasmThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * Node's workers: `eval` scripts (CommonJS, so `require` reaches parentPort). Unreferenced, so an idle pool never
 * keeps the process alive; Node's main thread may block in Atomics.wait.
 */
export const nodeWorkers: WorkerPlatform = {
  portExpression: "require('node:worker_threads').parentPort",
  canBlock: true,
  start(source) {
    const worker = new Worker(source, { eval: true });
    worker.unref();
    return {
      postMessage: (message) => worker.postMessage(message),
      nextMessage: async () => {
        const [message] = (await Promise.race([once(worker, 'message'), once(worker, 'error').then(([e]) => [{ error: String(e) }])])) as unknown[];
        return message;
      },
      terminate: () => void worker.terminate(),
    };
  },
};
