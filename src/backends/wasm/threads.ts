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
/** The most rows one job has (WasmTensors.parallel makes one per thread). */
const MAX_ROWS = MAX_THREADS;
const MAX_ARGS = 32;
const HEADER_INTS = 4;
const LAYOUT: ControlLayout = {
  generation: 0,
  done: 1,
  kernel: 2,
  failed: 3,
  claimBase: HEADER_INTS,
  argcBase: HEADER_INTS + MAX_ROWS,
  argsByteOffset: 4 * (HEADER_INTS + 2 * MAX_ROWS),
  maxRows: MAX_ROWS,
  maxArgs: MAX_ARGS,
  spins: 20_000,
};
const CONTROL_BYTES = LAYOUT.argsByteOffset + MAX_ROWS * MAX_ARGS * 8;

/**
 * The wasm backend's threads: this thread and `threads − 1` workers, each with its own instance of the same module
 * on one shared memory. `run` posts a job (an export and a row of arguments per range), then every thread, this one
 * included, claims free rows until none is left; it returns when all rows are done. No row waits for a particular
 * thread: a worker that is asleep or descheduled when a job starts leaves its rows to the others. Workers spin
 * briefly, then sleep in Atomics.wait, between jobs. Control (generation, done count, kernel index, failure, claim
 * slots, arguments) is a SharedArrayBuffer of its own, so memory growth never moves it.
 */
export class WasmThreads {
  readonly #flags: Int32Array;
  readonly #args: Float64Array;
  readonly #kernelIndex: ReadonlyMap<string, number>;

  private constructor(
    readonly count: number,
    private readonly workers: readonly WorkerHandle[],
    control: SharedArrayBuffer,
    module: WebAssembly.Module,
    private readonly canBlock: boolean,
  ) {
    this.#flags = new Int32Array(control);
    this.#args = new Float64Array(control, LAYOUT.argsByteOffset);
    const names = WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
    this.#kernelIndex = new Map(names.map((name, i) => [name, i]));
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
        worker.postMessage({ module, memory, control, layout: LAYOUT } satisfies WorkerInit);
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
   * Runs export `name` once per row, on whichever threads claim them (`runHere` runs a row on this thread's own
   * instance), and returns when every row is done.
   * @throws InternalError naming the kernel and the row when a row's kernel threw (a trap), after all rows ended
   */
  run(name: string, rows: readonly (readonly number[])[], runHere: (row: readonly number[]) => void): void {
    invariant(rows.length >= 1 && rows.length <= MAX_ROWS, `wasm threads: ${rows.length} rows (1 to ${MAX_ROWS})`);
    if (rows.length === 1 || this.count === 1) {
      for (const row of rows) runHere(row);
      return;
    }
    const kernel = this.#kernelIndex.get(name);
    invariant(kernel !== undefined, `wasm threads: the module exports no function "${name}"`);
    const flags = this.#flags;
    rows.forEach((row, i) => {
      invariant(row.length <= MAX_ARGS, `wasm threads: ${name} takes more than ${MAX_ARGS} arguments`);
      flags[LAYOUT.argcBase + i] = row.length;
      this.#args.set(row, i * MAX_ARGS);
    });
    flags[LAYOUT.kernel] = kernel;
    flags[LAYOUT.failed] = 0;
    flags[LAYOUT.done] = 0;
    // Generations count from 1, so a slot at 0 (taken, or past the rows) never matches one.
    const generation = (flags[LAYOUT.generation]! % 0x3fff_ffff) + 1;
    for (let i = 0; i < MAX_ROWS; i++) Atomics.store(flags, LAYOUT.claimBase + i, i < rows.length ? generation : 0);
    Atomics.store(flags, LAYOUT.generation, generation);
    Atomics.notify(flags, LAYOUT.generation);
    let error: unknown;
    rows.forEach((row, i) => {
      if (Atomics.compareExchange(flags, LAYOUT.claimBase + i, generation, 0) !== generation) return;
      try {
        runHere(row);
      } catch (cause) {
        error = cause;
        Atomics.store(flags, LAYOUT.failed, i + 1);
      }
      Atomics.add(flags, LAYOUT.done, 1);
    });
    this.#awaitRows(rows.length);
    const failed = Atomics.load(flags, LAYOUT.failed);
    if (failed !== 0) {
      throw new InternalError(`wasm backend: kernel ${name} failed on range ${failed} of ${rows.length}`, error === undefined ? {} : { cause: error });
    }
  }

  /** Stops the workers. */
  close(): void {
    Atomics.store(this.#flags, LAYOUT.kernel, -1);
    Atomics.add(this.#flags, LAYOUT.generation, 1);
    Atomics.notify(this.#flags, LAYOUT.generation);
    for (const w of this.workers) w.terminate();
  }

  #awaitRows(rows: number): void {
    const flags = this.#flags;
    for (let spins = 0; ; spins++) {
      const done = Atomics.load(flags, LAYOUT.done);
      if (done === rows) return;
      if (this.canBlock && spins > LAYOUT.spins) Atomics.wait(flags, LAYOUT.done, done);
    }
  }
}
