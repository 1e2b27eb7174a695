/**
 * The implementations `msse bench` runs side by side, behind one interface: MFCCs (B, T, F) in, logits (B, classes)
 * out. msse on each of its backends (the list is the library's, BACKEND_CHOICES: a backend added there without an
 * opener here does not compile), ONNX Runtime Web on the exported model, TensorFlow.js on our weights.
 */
import { BACKEND_CHOICES, describeAdapter } from '../../src/api/open-backend.ts';
import type { BackendChoice } from '../../src/api/types.ts';
import { referenceBackend } from '../../src/backends/reference/index.ts';
import { captureDispatches } from '../../src/backends/webgpu/profiler.ts';
import type { CheckedModel } from '../../src/infer/checked-model.ts';
import { uploadStore } from '../../src/infer/model-state.ts';
import { runInference } from '../../src/infer/predict.ts';
import { foldBatchNorm } from '../../src/model/fold-batch-norm.ts';
import { fusedParamsFromHost, fusedTensors, type FusedParams } from '../../src/model/msse-fused.ts';
import { openBackend, type OpenBackend } from '../../src/platform/node/backends.ts';
import { openWasmBackend, openWasmInference } from '../../src/platform/node/wasm-backend.ts';
import { hasFusedKernels, type Backend, type InferenceBackend } from '../../src/runtime/backend.ts';
import type { ParamStore } from '../../src/runtime/params.ts';
import { openOrtWasm } from '../peers/ort-wasm.ts';
import { openTfjsWasm } from '../peers/tfjs-wasm.ts';
import type { BenchRow, ImplName } from './rows.ts';

/** Which implementation, on what, with how many threads: serialisable, so a child process can be told to open it. */
export type ImplSpec = Pick<BenchRow, 'impl' | 'backend' | 'threads'>;

/** How an implementation's forward splits into work items, counted on a batch-1 forward. */
export interface OpCount {
  readonly count: number;
  /** `WebGPU dispatches`, `wasm kernel calls`, `graph nodes in the exported file`, … */
  readonly what: string;
}

export interface NetworkImpl {
  readonly spec: ImplSpec;
  /** The runtime and its version, or msse's adapter. */
  readonly description: string;
  /** Logits (batch, classes) of x (batch, T, F), on the host. */
  logits(x: Float32Array, batch: number): Promise<Float32Array | Float64Array>;
  /** What one forward of batch 1 is made of, counted. */
  opCount(x: Float32Array): Promise<OpCount>;
  /** msse's open backend behind this implementation (training, profiles), undefined for peers. */
  readonly msse: OpenedMsse | undefined;
  close(): Promise<void>;
}

/** The model every implementation runs, and its ONNX export (made once, on first use). */
export interface ModelSource {
  readonly checked: CheckedModel;
  /** T of one example. */
  readonly frames: number;
  /** The model as ONNX (src/infer/onnx-export.ts, or the file a parent run wrote): its bytes and node count. */
  onnx(): { readonly bytes: Uint8Array; readonly nodeCount: number };
}

type MsseBackendName = Exclude<BackendChoice, 'auto'>;

/** A backend that trains, and how to let go of it. */
export interface TrainingBackend {
  readonly backend: Backend;
  close(): void;
}

/** What an opener gives: the library's inference backend, and how to get the backend that trains. */
interface OpenedBackend {
  readonly inference: InferenceBackend;
  /** The whole kernel interface (the inference backend itself, or another instance); undefined: inference only. */
  readonly training: (() => Promise<TrainingBackend>) | undefined;
  /** The WebGPU device and tensors, for dispatch profiles. */
  readonly webgpu: OpenBackend | undefined;
  readonly description: string;
  close(): void;
}

/** An msse backend, opened, with the shipped model's parameters on it. */
export interface OpenedMsse extends OpenedBackend {
  readonly params: ParamStore;
  /** The folded parameters of the fused forward, where the backend has the fused kernels (the library's path). */
  readonly fused: FusedParams | undefined;
}

interface MsseOpener {
  /** Timed beside the peers. The float64 reference is the parity ground truth: exact, and too slow to time. */
  readonly timed: boolean;
  /** The thread counts it is timed at, a row each; null: not the backend's to choose (WebGPU). */
  readonly threads: readonly (number | null)[];
  open(threads: number | null): Promise<OpenedBackend>;
}

/** The thread counts of the WebAssembly runtimes that take one (msse's wasm backend, ONNX Runtime Web), side by side. */
const CPU_THREADS = [1, 2] as const;

/** The backend itself, kept open by its owner. */
const itself = (backend: Backend) => async (): Promise<TrainingBackend> => ({ backend, close() {} });

const MSSE_OPENERS: Readonly<Record<MsseBackendName, MsseOpener>> = {
  webgpu: {
    timed: true,
    threads: [null],
    async open() {
      const open = await openBackend('webgpu');
      return { inference: open.backend, training: itself(open.backend), webgpu: open, description: `webgpu on ${describeAdapter(open.gpu!.adapter)}`, close: () => open.close() };
    },
  },
  wasm: {
    timed: true,
    threads: CPU_THREADS,
    async open(threads) {
      const options = { threads: threads ?? 1 };
      const backend = await openWasmInference(options);
      // Training runs on build/network-train.wasm, another instance (the inference module leaves its entries out).
      const training = async (): Promise<TrainingBackend> => {
        const trainer = await openWasmBackend(options);
        return { backend: trainer, close: () => trainer.close() };
      };
      const description = 'wasm (build/network-mt.wasm, f32x4 SIMD, on shared memory with worker_threads)';
      return { inference: backend, training, webgpu: undefined, description, close: () => backend.close() };
    },
  },
  reference: {
    timed: false,
    threads: [1],
    async open() {
      return { inference: referenceBackend, training: itself(referenceBackend), webgpu: undefined, description: 'reference (float64 TypeScript)', close() {} };
    },
  },
};

/** msse's configurations that `msse bench` times: its backends in the library's order, each at its thread counts. */
export const MSSE_BENCH_SPECS: readonly ImplSpec[] = BACKEND_CHOICES.filter((b): b is MsseBackendName => b !== 'auto' && MSSE_OPENERS[b].timed).flatMap(
  (backend) => MSSE_OPENERS[backend].threads.map((threads) => ({ impl: 'msse', backend, threads }) as const),
);

/** The peers' rows: ONNX Runtime Web at CPU_THREADS, TensorFlow.js with 1 thread. */
export const PEER_SPECS: readonly ImplSpec[] = [
  ...CPU_THREADS.map((threads) => ({ impl: 'ort-wasm', backend: 'wasm', threads }) as const),
  { impl: 'tfjs-wasm', backend: 'wasm', threads: 1 },
];

export const PEER_NAMES: readonly ImplName[] = ['ort-wasm', 'tfjs-wasm'];

/** msse's float64 reference backend with the model on it: the ground truth of every parity figure. */
export function openReference(model: ModelSource): Promise<NetworkImpl> {
  return openMsse({ impl: 'msse', backend: 'reference', threads: 1 }, model);
}

/** Opens the implementation `spec` names on `model`. */
export async function openImpl(spec: ImplSpec, model: ModelSource): Promise<NetworkImpl> {
  const { frames } = model;
  const feat = model.checked.config.feat;
  switch (spec.impl) {
    case 'msse':
      return openMsse(spec, model);
    case 'ort-wasm': {
      const onnx = model.onnx();
      const ort = await openOrtWasm(onnx.bytes, spec.threads ?? 1);
      return {
        spec,
        description: `${ort.version}, wasm execution provider, graph optimisation 'all'`,
        logits: (x, batch) => ort.logits(x, batch, frames, feat),
        opCount: async () => ({ count: onnx.nodeCount, what: 'nodes in the exported graph (ONNX Runtime fuses some)' }),
        msse: undefined,
        close: () => ort.close(),
      };
    }
    case 'tfjs-wasm': {
      const { config, model: file } = model.checked;
      const tfjs = await openTfjsWasm(config, foldBatchNorm(config, file), spec.threads ?? 1);
      return {
        spec,
        description: `${tfjs.version}, MS-SENet in tfjs ops (bench/peers/tfjs-msse.ts), BatchNorm folded`,
        logits: (x, batch) => tfjs.logits(x, batch, frames),
        async opCount(x) {
          const info = await tfjs.tf.profile(async () => (await tfjs.logits(x, 1, frames)).length);
          return { count: info.kernels.length, what: 'TensorFlow.js kernels run (tf.profile)' };
        },
        msse: undefined,
        close: async () => tfjs.close(),
      };
    }
  }
}

async function openMsse(spec: ImplSpec, model: ModelSource): Promise<NetworkImpl> {
  const backend = spec.backend as MsseBackendName;
  const opened = await MSSE_OPENERS[backend].open(spec.threads);
  const { config, model: file } = model.checked;
  const { inference } = opened;
  const params = uploadStore(inference, config, { parameters: file.parameters, buffers: file.buffers }, file.file);
  // The library's path (src/api/model.ts): the fused forward on folded parameters where the backend has its kernels.
  const fused = hasFusedKernels(inference) ? fusedParamsFromHost(inference, config, file) : undefined;
  const forward = (b: InferenceBackend, x: Float32Array, batch: number) => {
    const input = b.upload(x, [batch, model.frames, config.feat], 'x', { transient: true });
    return runInference(b, config, params, input, fused).logits;
  };
  return {
    spec,
    description: `${opened.description}, ${fused === undefined ? 'unfused forward' : 'fused forward'}`,
    async logits(x, batch) {
      const out = await inference.read(forward(inference, x, batch));
      inference.releaseTransients();
      return out;
    },
    async opCount(x) {
      if (opened.webgpu !== undefined) {
        const { result, records } = captureDispatches(opened.webgpu.tensors!.ctx, () => forward(inference, x, 1));
        await inference.read(result);
        inference.releaseTransients();
        return { count: records.length, what: 'WebGPU dispatches' };
      }
      const counting = countingBackend(inference);
      await inference.read(forward(counting.backend, x, 1));
      inference.releaseTransients();
      return { count: counting.calls(), what: `${backend} kernel calls` };
    },
    msse: { ...opened, params, fused },
    async close() {
      const all = [...params.params.values(), ...params.buffers.values(), ...(fused === undefined ? [] : fusedTensors(fused))];
      for (const tensor of all) inference.dispose(tensor);
      opened.close();
    },
  };
}

/** `backend` with every kernel call counted (upload, read and the other BackendIO calls are not kernels). */
function countingBackend(backend: InferenceBackend): { backend: InferenceBackend; calls(): number } {
  let calls = 0;
  const wrapped: Record<string, unknown> = { ...backend };
  for (const [family, kernels] of Object.entries(backend)) {
    if (typeof kernels !== 'object' || kernels === null) continue;
    wrapped[family] = Object.fromEntries(
      Object.entries(kernels as Record<string, (...args: unknown[]) => unknown>).map(([entry, kernel]) => [
        entry,
        (...args: unknown[]) => {
          calls++;
          return kernel(...args);
        },
      ]),
    );
  }
  return { backend: wrapped as unknown as InferenceBackend, calls: () => calls };
}
