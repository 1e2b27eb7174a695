/**
 * ONNX Runtime Web's WebAssembly execution provider on msse's exported model (src/infer/onnx-export.ts), in Node.
 *
 * Threads: onnxruntime-web creates its thread pool once per process, when the first session initialises the
 * runtime (`env.wasm.numThreads`, read by OrtInit); a session cannot choose its own. In Node the threaded build
 * runs its pool on worker_threads (no cross-origin isolation needed), so 2 threads work, but a process that
 * started ONNX Runtime with 1 thread cannot run a session with 2: `msse bench` runs that row in a child process.
 */
import { importPeer } from './load-peer.ts';

/** The graph optimisation level sessions use: ONNX Runtime's default and fastest. */
export const ORT_OPTIMIZATION_LEVEL = 'all';

/** A session on the exported model: logits of (batch, T, F) MFCCs. */
export interface OrtWasm {
  /** e.g. `onnxruntime-web 1.31.1`. */
  readonly version: string;
  logits(x: Float32Array, batch: number, frames: number, feat: number): Promise<Float32Array>;
  close(): Promise<void>;
}

/**
 * Opens onnxruntime-web with `threads` threads (this process's first and only choice, see above) and a session on
 * the ONNX model `bytes`, input `mfcc`, output `logits`.
 */
export async function openOrtWasm(bytes: Uint8Array, threads: number): Promise<OrtWasm> {
  const ort = await importPeer('onnxruntime-web');
  ort.env.wasm.numThreads = threads;
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: ORT_OPTIMIZATION_LEVEL });
  return {
    version: `onnxruntime-web ${ort.env.versions.web ?? '?'}`,
    async logits(x, batch, frames, feat) {
      const { logits } = await session.run({ mfcc: new ort.Tensor('float32', x, [batch, frames, feat]) });
      return logits!.data as Float32Array;
    },
    close: () => session.release(),
  };
}

/**
 * What onnxruntime-web offers for training, found by trying it: it names the TrainingSession it does not export and
 * the error of importing the training entry that older releases had. Returns one sentence for the report.
 */
export async function ortTrainingProbe(): Promise<string> {
  const ort = (await importPeer('onnxruntime-web')) as unknown as Record<string, unknown>;
  const names = Object.keys(ort).filter((k) => k !== 'default');
  const exported = 'TrainingSession' in ort ? 'exports a TrainingSession' : `exports no TrainingSession (only ${names.join(', ')})`;
  const specifier: string = 'onnxruntime-web/training';
  let entry: string;
  try {
    await import(specifier);
    entry = `${specifier} imports`;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    entry = `import('${specifier}') fails: ${e.code ?? ''} ${(e.message ?? String(error)).split('\n')[0]}`.trim();
  }
  return `onnxruntime-web ${exported}; ${entry}`;
}
