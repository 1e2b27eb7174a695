/**
 * `msse bench`: every case on every implementation in one run, in an order that keeps them from disturbing each
 * other on a 2-core machine: the CPU implementations in this process first (no llvmpipe worker threads exist yet),
 * then the fresh processes (ONNX Runtime with 2 threads, the cold starts) while this one waits, then WebGPU.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportOnnx } from '../../src/infer/onnx-export.ts';
import { machineLine } from '../machine.ts';
import { spawnChild, type NetworkChildResult, type OnnxFile } from './child.ts';
import { measureColdStart } from './cold-start.ts';
import { MSSE_BENCH_SPECS, openImpl, openReference, PEER_SPECS, type ImplSpec, type ModelSource, type OpCount } from './impls.ts';
import { firstExamples, loadBenchInput, type BenchInput } from './input.ts';
import { webgpuKernelTables, type KernelTable } from './kernel-table.ts';
import { measureMfcc } from './mfcc-case.ts';
import { measureNetwork } from './network-cases.ts';
import type { Roofline } from './roofline.ts';
import { CASES, implLabel, type BenchRow } from './rows.ts';
import { LARGE_BATCH, PARITY_TOLERANCE, SETTINGS, type BenchSettings, type Suite } from './settings.ts';
import { measureTrainingStep, peerTrainingRows } from './training-case.ts';

export interface BenchOptions {
  readonly suite: Suite;
  readonly modelPath: string;
  /** A folder with at least LARGE_BATCH WAV files (EMO-DB's). */
  readonly dataDir: string;
  /** false: msse alone (the peers are devDependencies, absent after a registry install). */
  readonly peers: boolean;
  /** Progress, one line per step. */
  readonly log: (line: string) => void;
}

/** An implementation as the report describes it. */
export interface ImplInfo {
  readonly label: string;
  readonly description: string;
  readonly ops: OpCount | undefined;
}

export interface BenchResult {
  readonly suite: Suite;
  readonly machine: string;
  readonly input: string;
  /** msse's backends in the library's order, then the peers. */
  readonly implementations: readonly ImplInfo[];
  /** By case, batch, then implementation in the order above. */
  readonly rows: readonly BenchRow[];
  /** Facts the rows cannot hold: how cases were measured, what could not be run and why. */
  readonly notes: readonly string[];
  readonly roofline: Roofline | undefined;
  readonly kernelTables: readonly KernelTable[];
}

/** What every phase of a run reads, and what it adds to. */
interface Run {
  readonly options: BenchOptions;
  readonly settings: BenchSettings;
  readonly input: BenchInput;
  readonly model: ModelSource;
  /** msse's float64 logits of the parity batch. */
  readonly referenceLogits: Float32Array | Float64Array;
  readonly rows: BenchRow[];
  readonly implementations: ImplInfo[];
  readonly notes: string[];
}

/** Runs the benchmark. Errors of any implementation end the run (a peer missing: see bench/peers/load-peer.ts). */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const { suite, log } = options;
  const settings = SETTINGS[suite];
  const loadAtStart = loadavg()[0]!;
  log(`reading ${options.modelPath} and the first ${LARGE_BATCH} WAV files of ${options.dataDir}`);
  const input = await loadBenchInput(options.modelPath, options.dataDir);
  let onnx: ReturnType<typeof exportOnnx> | undefined;
  const model: ModelSource = { checked: input.checked, frames: input.frames, onnx: () => (onnx ??= exportOnnx(input.checked, 'msse bench')) };

  log(`msse reference (float64): logits of the first ${settings.parityBatch} utterances, the parity ground truth`);
  const reference = await openReference(model);
  const referenceStarted = performance.now();
  const referenceLogits = await reference.logits(firstExamples(input, settings.parityBatch), settings.parityBatch);
  const referenceMs = performance.now() - referenceStarted;
  await reference.close();

  const run: Run = {
    options,
    settings,
    input,
    model,
    referenceLogits,
    rows: [],
    implementations: [],
    notes: [
      `Input: ${describeInput(input)}. Parity: max |logit − ref| / max |ref| over the first ${settings.parityBatch} ` +
        `utterances (one call), ref = msse's float64 reference backend; over ${PARITY_TOLERANCE} a row is not timed. ` +
        "end-to-end and cold-start rows carry their implementation's parity (cold-start: of the logits the fresh process printed).",
      "msse's reference backend (float64 TypeScript, the executable specification) is not timed beside the others: " +
        `its one parity call took ${referenceMs.toFixed(0)} ms for ${settings.parityBatch} utterances.`,
      'inference: MFCCs (B, T, F) on the host in, logits on the host out (uploads and read-back included), batch 1 ' +
        "rotating through the utterances and batch 64. end-to-end: one utterance's WAV samples through msse's " +
        'WebAssembly front end, the network and a softmax (the peers have no front end of their own).',
      'msse wasm threads: each thread count is its own backend instance (build/network-mt.wasm on shared memory, ' +
        'worker_threads past the first thread), in this process one after the other, its workers stopped before the ' +
        'next implementation is timed; its logits are the same bits at any thread count.',
    ],
  };
  log('msse: mfcc');
  run.rows.push(await measureMfcc(input, settings, suite));

  const peers = options.peers ? PEER_SPECS : [];
  const specs = [...MSSE_BENCH_SPECS, ...peers];
  // ONNX Runtime's thread pool is per process: its first thread count runs here, others in a child (ort-wasm.ts).
  // msse's threads are per backend instance: each count runs here, one instance after the other.
  const inProcess = (spec: ImplSpec) => spec.impl !== 'ort-wasm' || spec.threads === 1;
  const onCpu = (spec: ImplSpec) => spec.threads !== null;
  const oneThread = (spec: ImplSpec) => (spec.threads ?? 1) === 1;
  await measureHere(run, specs.filter((s) => onCpu(s) && inProcess(s)));
  if (peers.length > 0) await askPeersToTrain(run, peers);
  await measureInChildren(run, specs.filter((s) => !inProcess(s)), specs.filter(oneThread));
  const webgpu = await measureHere(run, MSSE_BENCH_SPECS.filter((s) => !onCpu(s)));

  // Report order: msse's configurations (backends in the library's order), then the peers.
  const order = specs.map(implLabel);
  const rank = (spec: ImplSpec) => order.indexOf(implLabel(spec));
  run.rows.sort((a, b) => CASES.indexOf(a.case) - CASES.indexOf(b.case) || a.batch - b.batch || rank(a) - rank(b));
  run.implementations.sort((a, b) => order.indexOf(a.label) - order.indexOf(b.label));
  run.notes.push(
    `1-minute load average of the machine: ${loadAtStart.toFixed(2)} when the run started (other work only: on ${cpus().length} ` +
      `cores, anything near 1 or more means the figures are upper bounds), ${loadavg()[0]!.toFixed(2)} at its end (this run included).`,
  );
  const { rows, implementations, notes } = run;
  const kernels = { roofline: webgpu?.roofline, kernelTables: webgpu?.tables ?? [] };
  return { suite, machine: machineLine(), input: describeInput(input), implementations, rows, notes, ...kernels };
}

/**
 * The network cases of each implementation in this process, then msse's training step; for the first one on
 * WebGPU also the roofline and the per-kernel tables.
 */
async function measureHere(run: Run, specs: readonly ImplSpec[]): Promise<{ roofline: Roofline; tables: KernelTable[] } | undefined> {
  const { options, settings, input } = run;
  let profiled: { roofline: Roofline; tables: KernelTable[] } | undefined;
  for (const spec of specs) {
    const impl = await openImpl(spec, run.model);
    try {
      const result = await measureNetwork(impl, input, run.referenceLogits, settings, options.suite, options.log);
      run.rows.push(...result.rows);
      run.implementations.push({ label: implLabel(spec), description: impl.description, ops: result.ops });
      if (impl.msse === undefined) continue;
      options.log(`${implLabel(spec)}: training step, batch ${LARGE_BATCH}`);
      run.rows.push(await measureTrainingStep(impl, input, settings, options.suite));
      if (impl.msse.webgpu !== undefined && profiled === undefined) {
        options.log(`${implLabel(spec)}: roofline (shaders/roofline.wgsl) and per-kernel profiles`);
        profiled = await webgpuKernelTables(impl, input, settings);
      }
    } finally {
      await impl.close();
    }
  }
  return profiled;
}

/** The peers' training-step rows (what each answered), once per peer, and how the peers were run. */
async function askPeersToTrain(run: Run, peers: readonly ImplSpec[]): Promise<void> {
  run.options.log('peers: what each does when asked for a training step');
  const onePerPeer = peers.filter((s, i) => peers.findIndex((o) => o.impl === s.impl) === i);
  run.rows.push(...(await peerTrainingRows(run.options.suite, onePerPeer)));
  run.notes.push(
    'ort-wasm threads: onnxruntime-web fixes its thread pool when the runtime starts (env.wasm.numThreads, once per ' +
      'process; a session cannot choose its own), so the 1-thread rows ran in this process and the 2-thread rows in a ' +
      'fresh one started by the same run. In Node its pool runs on worker_threads: 2 threads work without cross-origin isolation.',
    'tfjs-wasm: tfjs-core and tfjs-backend-wasm, one thread (setThreadsCount(1)); our network in tfjs ops ' +
      '(bench/peers/tfjs-msse.ts), BatchNorm folded, fused conv2d + bias + ReLU where tfjs has it.',
  );
}

/**
 * Fresh processes, while this one waits: the network cases of `elsewhere` (ONNX Runtime with another thread count),
 * then the cold starts of `coldStarts`. They read the exported ONNX file from a scratch folder, removed afterwards.
 */
async function measureInChildren(run: Run, elsewhere: readonly ImplSpec[], coldStarts: readonly ImplSpec[]): Promise<void> {
  const { options, settings } = run;
  const scratch = mkdtempSync(join(tmpdir(), 'msse-bench-'));
  try {
    const needsOnnx = [...elsewhere, ...coldStarts].some((s) => s.impl === 'ort-wasm');
    const onnx: OnnxFile = { path: join(scratch, 'model.onnx'), nodeCount: needsOnnx ? run.model.onnx().nodeCount : 0 };
    if (needsOnnx) writeFileSync(onnx.path, run.model.onnx().bytes);
    for (const spec of elsewhere) {
      options.log(`${implLabel(spec)}: a fresh process runs its network cases`);
      const job = { kind: 'network', impl: spec, model: options.modelPath, onnx, data: options.dataDir, suite: options.suite, reference: Array.from(run.referenceLogits) } as const;
      const { result } = await spawnChild<NetworkChildResult>(job, 900_000);
      run.rows.push(...result.rows);
      run.implementations.push({ label: implLabel(spec), description: `${result.description} (in a child process)`, ops: result.ops });
    }
    for (const spec of coldStarts) {
      options.log(`${implLabel(spec)}: cold start × ${settings.coldStarts}`);
      run.rows.push(await measureColdStart(spec, run.input, onnx, run.referenceLogits, settings, options.suite));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  run.notes.push(
    'cold-start: one thread of each implementation (msse webgpu: the adapter\'s), a fresh `msse bench --child` process per ' +
      'sample, from spawn to the line with the first probabilities: ' +
      'Node and the msse CLI bundle start, the runtime loads, the model is read (ONNX Runtime: the exported .onnx file), ' +
      `one WAV (${run.input.files[0]}) goes through msse's front end and the network. The child's logits are checked against the reference.`,
  );
}

function describeInput(input: BenchInput): string {
  const mfcc = `MFCCs (T = ${input.frames}, F = ${input.feat}) by msse's front end`;
  return `the first ${LARGE_BATCH} WAV files of ${input.dataDir} by name (${input.files[0]} …), ${mfcc}; model ${input.modelPath}`;
}
