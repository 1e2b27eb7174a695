/**
 * The body of a wasm backend worker thread (src/backends/wasm/threads.ts starts them). It is sent to the worker as
 * source text (`String(workerMain)`), so it must stay self-contained: no imports, no outer names, plain JavaScript
 * once types are stripped. `port` is the worker's end of its channel (Node's parentPort, a page worker's `self`).
 *
 * The first message brings the compiled module, the shared memory, the control block and this thread's index; the
 * worker instantiates the module on that memory, answers 'ready' (or the error), then serves jobs until told to
 * stop: it waits for the generation counter to move, runs the export the job names with its own row of arguments,
 * and counts itself done. Layout of the control block: ThreadControl in threads.ts.
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

  function serve(instance: WebAssembly.Instance, { module, control, thread, layout }: WorkerInit): void {
    const kernels = WebAssembly.Module.exports(module)
      .filter((e) => e.kind === 'function')
      .map((e) => instance.exports[e.name] as (...args: number[]) => unknown);
    const flags = new Int32Array(control);
    const args = new Float64Array(control, layout.argsByteOffset + thread * layout.maxArgs * 8, layout.maxArgs);
    let seen = 0;
    for (;;) {
      // Spin a little before sleeping: the next job usually follows within microseconds, and waking costs more.
      for (let spins = 0; Atomics.load(flags, layout.generation) === seen; spins++) {
        if (spins > layout.spins) Atomics.wait(flags, layout.generation, seen);
      }
      seen = Atomics.load(flags, layout.generation);
      const kernel = Atomics.load(flags, layout.kernel);
      if (kernel < 0) return;
      const argc = Atomics.load(flags, layout.argcBase + thread);
      try {
        if (argc >= 0) kernels[kernel]!(...args.subarray(0, argc));
      } catch {
        Atomics.store(flags, layout.failed, thread + 1);
      }
      if (Atomics.sub(flags, layout.pending, 1) === 1) Atomics.notify(flags, layout.pending);
    }
  }
}

/** Indices into the control block's Int32Array, and where the argument rows start (ThreadControl in threads.ts). */
export interface ControlLayout {
  readonly generation: number;
  readonly pending: number;
  readonly kernel: number;
  readonly failed: number;
  /** Int32 index of thread 0's argument count (−1: no work for that thread this job). */
  readonly argcBase: number;
  /** Byte offset of thread 0's row of f64 arguments; thread i's row follows at i · maxArgs · 8. */
  readonly argsByteOffset: number;
  readonly maxArgs: number;
  /** Polls of the generation counter before a worker sleeps in Atomics.wait. */
  readonly spins: number;
}

/** The worker's first message. */
export interface WorkerInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly thread: number;
  readonly layout: ControlLayout;
}
