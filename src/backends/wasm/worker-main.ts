/**
 * The body of a wasm backend worker thread (src/backends/wasm/threads.ts starts them). It is sent to the worker as
 * source text (`String(workerMain)`), so it must stay self-contained: no imports, no outer names, plain JavaScript
 * once types are stripped. `port` is the worker's end of its channel (Node's parentPort, a page worker's `self`).
 *
 * The first message brings the compiled module, the shared memory, the control block and its layout; the worker
 * instantiates the module on that memory, answers 'ready' (or the error), then serves jobs until told to stop: it
 * waits for the generation counter to move, then claims the job's rows one by one (a row is free for generation g
 * while its claim slot holds g; compareExchange takes it), runs the export with the row's arguments, and counts the
 * row done. A worker that wakes late finds every slot taken and goes back to waiting: rows never wait for a thread.
 * Layout of the control block: ControlLayout below, filled in by threads.ts.
 */
export function workerMain(port: {
  addEventListener(type: 'message', listener: (event: { data: WorkerInit }) => void, options: { once: true }): void;
  postMessage(message: unknown): void;
}): void {
  port.addEventListener(
    'message',
    ({ data }) => {
      WebAssembly.instantiate(data.module, { env: { memory: data.memory } }).then(
        (instance) => {
          port.postMessage('ready');
          serve(instance, data);
        },
        (error: unknown) => port.postMessage({ error: String(error) }),
      );
    },
    { once: true },
  );

  function serve(instance: WebAssembly.Instance, { module, control, layout }: WorkerInit): void {
    const kernels = WebAssembly.Module.exports(module)
      .filter((e) => e.kind === 'function')
      .map((e) => instance.exports[e.name] as (...args: number[]) => unknown);
    const flags = new Int32Array(control);
    const args = new Float64Array(control, layout.argsByteOffset, layout.maxRows * layout.maxArgs);
    let seen = 0;
    for (;;) {
      // Spin a little before sleeping: the next job usually follows within microseconds, and waking costs more.
      for (let spins = 0; Atomics.load(flags, layout.generation) === seen; spins++) {
        if (spins > layout.spins) Atomics.wait(flags, layout.generation, seen);
      }
      seen = Atomics.load(flags, layout.generation);
      if (Atomics.load(flags, layout.kernel) < 0) return;
      for (let row = 0; row < layout.maxRows; row++) {
        if (Atomics.compareExchange(flags, layout.claimBase + row, seen, 0) !== seen) continue;
        // A claimed row keeps its job open, so the kernel and the arguments read now are that job's.
        const kernel = kernels[Atomics.load(flags, layout.kernel)]!;
        const argc = Atomics.load(flags, layout.argcBase + row);
        try {
          kernel(...args.subarray(row * layout.maxArgs, row * layout.maxArgs + argc));
        } catch {
          Atomics.store(flags, layout.failed, row + 1);
        }
        Atomics.add(flags, layout.done, 1);
        Atomics.notify(flags, layout.done);
      }
    }
  }
}

/** Indices into the control block's Int32Array, and where the argument rows start (threads.ts fills it in). */
export interface ControlLayout {
  /** Bumped once per job; a stop is a job whose kernel is −1. */
  readonly generation: number;
  /** Rows of the current job finished. */
  readonly done: number;
  readonly kernel: number;
  /** 1 + the row whose kernel threw, else 0. */
  readonly failed: number;
  /** Int32 index of row 0's claim slot (the job's generation while the row is free, 0 once taken). */
  readonly claimBase: number;
  /** Int32 index of row 0's argument count. */
  readonly argcBase: number;
  /** Byte offset of row 0's f64 arguments; row i's follow at i · maxArgs · 8. */
  readonly argsByteOffset: number;
  readonly maxRows: number;
  readonly maxArgs: number;
  /** Polls of the generation counter before a worker sleeps in Atomics.wait. */
  readonly spins: number;
}

/** The worker's first message. */
export interface WorkerInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly layout: ControlLayout;
}
