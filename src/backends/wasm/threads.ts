import { InternalError, invariant, MsseError } from '../../errors.ts';
import { workerMain, type ControlLayout, type WorkerInit } from './worker-main.ts';

/** A started worker as the pool sees it; the platform makes them (src/platform/node, src/platform/browser). */
export interface WorkerHandle {
  postMessage(message: unknown): void;
  /** The worker's next message. */
  nextMessage(): Promise<unknown>;
  terminate(): void;
}

/**
 * How a platform runs the worker body: `start(source)` starts a classic-script worker running `source`, in which
 * the expression `portExpression` is the worker's end of its channel (an EventTarget with postMessage).
 */
export interface WorkerPlatform {
  readonly portExpression: string;
  start(source: string): WorkerHandle;
  /** Whether this thread may block in Atomics.wait (Node's main thread may; a page's main thread may not). */
  readonly canBlock: boolean;
}

/** The most threads a wasm backend runs on. */
export const MAX_THREADS = 16;
const MAX_ARGS = 24;
const LAYOUT: ControlLayout = {
  generation: 0,
  pending: 1,
  kernel: 2,
  failed: 3,
  argcBase: 4,
  argsByteOffset: 4 * (4 + MAX_THREADS),
  maxArgs: MAX_ARGS,
  spins: 20_000,
};
const CONTROL_BYTES = LAYOUT.argsByteOffset + MAX_THREADS * MAX_ARGS * 8;

/**
 * The wasm backend's threads: this thread (thread 0) and `threads − 1` workers, each with its own instance of the
 * same module on one shared memory. `run` gives every thread a row of arguments for the same export, runs row 0
 * here, and returns when all rows are done; workers spin briefly, then sleep in Atomics.wait, between jobs.
 * Control (generation counter, pending count, kernel index, failure flag, argument rows) is a SharedArrayBuffer of
 * its own, so memory growth never moves it.
 */
export class WasmThreads {
  readonly #flags: Int32Array;
  readonly #args: Float64Array;
  readonly #kernelIndex: ReadonlyMap<string, number>;
  readonly #names: readonly string[];

  private constructor(
    readonly count: number,
    private readonly workers: readonly WorkerHandle[],
    control: SharedArrayBuffer,
    module: WebAssembly.Module,
    private readonly canBlock: boolean,
  ) {
    this.#flags = new Int32Array(control);
    this.#args = new Float64Array(control, LAYOUT.argsByteOffset);
    this.#names = WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
    this.#kernelIndex = new Map(this.#names.map((name, i) => [name, i]));
  }

  /** Starts `threads − 1` workers on `module` and the shared `memory`; resolves once every one is ready. */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, threads: number, platform: WorkerPlatform): Promise<WasmThreads> {
    invariant(Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS, `wasm threads: ${threads} (1 to ${MAX_THREADS})`);
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    const source = `(${String(workerMain)})(${platform.portExpression});`;
    const workers: WorkerHandle[] = [];
    try {
      for (let thread = 1; thread < threads; thread++) {
        const worker = platform.start(source);
        workers.push(worker);
        worker.postMessage({ module, memory, control, thread, layout: LAYOUT } satisfies WorkerInit);
      }
      const answers = await Promise.all(workers.map((w) => w.nextMessage()));
      const failed = answers.find((a) => a !== 'ready');
      if (failed !== undefined) throw new MsseError(`wasm backend: a worker thread could not start: ${(failed as { error?: string }).error ?? String(failed)}`);
    } catch (error) {
      for (const w of workers) w.terminate();
      throw error;
    }
    return new WasmThreads(threads, workers, control, module, platform.canBlock);
  }

  /**
   * Runs export `name` once per row, row i on thread i (rows.length ≤ count; threads past the rows idle), and
   * returns when all are done. `run0` runs row 0 here (the caller's own instance).
   */
  run(name: string, rows: readonly (readonly number[])[], run0: (row: readonly number[]) => void): void {
    invariant(rows.length >= 1 && rows.length <= this.count, `wasm threads: ${rows.length} rows for ${this.count} threads`);
    if (rows.length === 1) {
      run0(rows[0]!);
      return;
    }
    const kernel = this.#kernelIndex.get(name);
    invariant(kernel !== undefined, `wasm threads: the module exports no function "${name}"`);
    const flags = this.#flags;
    for (let thread = 1; thread < this.count; thread++) {
      const row = rows[thread];
      invariant(row === undefined || row.length <= MAX_ARGS, `wasm threads: ${name} takes more than ${MAX_ARGS} arguments`);
      flags[LAYOUT.argcBase + thread] = row === undefined ? -1 : row.length;
      if (row !== undefined) this.#args.set(row, thread * MAX_ARGS);
    }
    flags[LAYOUT.kernel] = kernel;
    flags[LAYOUT.failed] = 0;
    Atomics.store(flags, LAYOUT.pending, this.count - 1);
    Atomics.add(flags, LAYOUT.generation, 1);
    Atomics.notify(flags, LAYOUT.generation);
    try {
      run0(rows[0]!);
    } finally {
      this.#awaitWorkers();
    }
    const failed = Atomics.load(flags, LAYOUT.failed);
    if (failed !== 0) throw new InternalError(`wasm backend: kernel ${name} failed on worker thread ${failed - 1}`);
  }

  /** Stops the workers. */
  close(): void {
    Atomics.store(this.#flags, LAYOUT.kernel, -1);
    Atomics.add(this.#flags, LAYOUT.generation, 1);
    Atomics.notify(this.#flags, LAYOUT.generation);
    for (const w of this.workers) w.terminate();
  }

  #awaitWorkers(): void {
    const flags = this.#flags;
    for (let spins = 0; ; spins++) {
      const pending = Atomics.load(flags, LAYOUT.pending);
      if (pending === 0) return;
      if (this.canBlock && spins > LAYOUT.spins) Atomics.wait(flags, LAYOUT.pending, pending);
    }
  }
}
