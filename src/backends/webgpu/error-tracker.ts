import { GpuError } from '../../errors.ts';

/** Turns a GPU error into a better one-line explanation (e.g. the WGSL line it points at); undefined keeps Dawn's. */
export type ErrorExplainer = (error: GPUError) => Promise<string | undefined>;

/**
 * Collects a device's validation and out-of-memory errors and says which labelled operation caused them.
 *
 * WebGPU reports errors asynchronously and Dawn only prints them to stderr, so a bad kernel would otherwise show
 * up as wrong numbers. Each pipeline creation and dispatch runs inside error scopes (`scoped`), popped without
 * waiting; `check()`, which every readback awaits, throws the earliest error as a `GpuError` starting with the
 * label. Encoding stays synchronous: no await per dispatch.
 */
export class ErrorTracker {
  #lost: GpuError | undefined;
  #uncaptured: GpuError | undefined;
  /** Errors found so far, by the order their scopes closed: an inner scope (pipeline) before its outer (dispatch). */
  readonly #found: { order: number; error: GpuError }[] = [];
  readonly #pending = new Set<Promise<void>>();
  #closed = 0;

  constructor(private readonly device: GPUDevice) {}

  /** Marks the device gone; every later operation throws `GPU device lost: <reason>`. */
  markLost(reason: string): void {
    this.#lost ??= new GpuError(`GPU device lost: ${firstLine(reason)}`);
  }

  /** Records an error that escaped every scope (Dawn's `uncapturederror` event). */
  noteUncaptured(error: GPUError): void {
    this.#uncaptured ??= new GpuError(`uncaptured GPU error: ${firstLine(error.message)}`);
  }

  /** Throws synchronously when the device is lost, so nothing is encoded for a dead device. */
  assertAlive(): void {
    if (this.#lost !== undefined) throw this.#lost;
  }

  /**
   * Runs `encode` inside validation and out-of-memory scopes. An error it raised is reported by the next
   * `check()` as `<label>: <message>`, the message from `explain` when it gives one.
   */
  scoped<T>(label: string, encode: () => T, explain?: ErrorExplainer): T {
    this.assertAlive();
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    try {
      return encode();
    } finally {
      const order = this.#closed++;
      const settled = Promise.all([this.device.popErrorScope(), this.device.popErrorScope()]).then(
        async (errors) => {
          const error = errors.find((e) => e !== null);
          if (error === undefined) return;
          const explained = explain === undefined ? undefined : await explain(error).catch(() => undefined);
          this.#found.push({ order, error: new GpuError(`${label}: ${explained ?? firstLine(error.message)}`) });
        },
        // popErrorScope rejects only once the device is gone, which markLost reports.
        () => undefined,
      );
      this.#pending.add(settled);
      void settled.finally(() => this.#pending.delete(settled));
    }
  }

  /**
   * Waits for every scope closed so far; throws the lost-device error, else the earliest error found, else an
   * uncaptured one. Errors are reported once, to the first check after them: later work is judged on its own.
   */
  async check(): Promise<void> {
    this.assertAlive();
    await Promise.all(this.#pending);
    this.assertAlive();
    const earliest = this.#found.sort((a, b) => a.order - b.order)[0]?.error ?? this.#uncaptured;
    this.#found.length = 0;
    this.#uncaptured = undefined;
    if (earliest !== undefined) throw earliest;
  }
}

/** Dawn's messages span lines (source excerpt, call trace); msse errors are one line. */
export function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '');
  return (line ?? text).trim();
}
