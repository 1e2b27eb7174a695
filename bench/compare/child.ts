/**
 * Fresh processes of one `msse bench` run: `msse bench --child SPEC` (SPEC a ChildSpec as JSON) runs one job and
 * writes its result as one line, CHILD_MARKER then JSON, on stdout.
 *
 * - `cold-start`: the time from spawning a process to the first probabilities it prints: import the runtime, read
 *   the model (msse's safetensors, or the ONNX file for ONNX Runtime), read one WAV, MFCCs by msse's front end, one
 *   forward, softmax. Every implementation starts the same way (Node, then the msse CLI bundle, ~15 ms), so the
 *   differences are the runtimes' own.
 * - `network`: the network cases of an implementation that cannot share the parent's process: ONNX Runtime Web
 *   with 2 threads (its thread pool is fixed when the runtime starts, once per process; ort-wasm.ts).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { frameCount } from '../../src/audio/mfcc-settings.ts';
import { MsseError } from '../../src/errors.ts';
import { softmax } from '../../src/infer/predict.ts';
import { packageRoot } from '../../src/platform/node/assets.ts';
import { loadCheckedModel } from '../../src/platform/node/model-file.ts';
import { createMfccExtractor } from '../../src/platform/node/mfcc.ts';
import { readWavFile } from '../../src/platform/node/wav-file.ts';
import { openImpl, type ImplSpec, type ModelSource, type OpCount } from './impls.ts';
import { loadBenchInput } from './input.ts';
import { measureNetwork } from './network-cases.ts';
import { implLabel, type BenchRow } from './rows.ts';
import { SETTINGS, type Suite } from './settings.ts';

/** Starts the result line of a child; anything else it prints is ignored. */
export const CHILD_MARKER = 'msse-bench-child ';

export type ChildSpec =
  | { readonly kind: 'cold-start'; readonly impl: ImplSpec; readonly model: string; readonly onnx: OnnxFile; readonly wav: string }
  | {
      readonly kind: 'network';
      readonly impl: ImplSpec;
      readonly model: string;
      readonly onnx: OnnxFile;
      readonly data: string;
      readonly suite: Suite;
      /** msse's float64 logits of the parity batch. */
      readonly reference: readonly number[];
    };

/** The ONNX file the parent exported, and its node count (the export's; reading it back needs no decoder). */
export interface OnnxFile {
  readonly path: string;
  readonly nodeCount: number;
}

export interface ColdStartResult {
  readonly logits: readonly number[];
  readonly probs: readonly number[];
  /**
   * Milliseconds since the child process started (Node's performance.now()) when the child began its job (Node and
   * the CLI bundle loaded), when the implementation was open (runtime loaded, model read), and at the probabilities.
   */
  readonly phases: { readonly started: number; readonly opened: number; readonly done: number };
}

export interface NetworkChildResult {
  readonly rows: BenchRow[];
  readonly ops: OpCount | undefined;
  readonly description: string;
}

/** The model of a child: the safetensors file, and the ONNX file the parent exported (read only if used). */
function childModel(spec: ChildSpec): ModelSource {
  const checked = loadCheckedModel(spec.model);
  return { checked, frames: frameCount(checked.lengthSamples), onnx: () => ({ bytes: readFileSync(spec.onnx.path), nodeCount: spec.onnx.nodeCount }) };
}

/** Runs `--child SPEC` and returns the line to print (CHILD_MARKER + JSON). */
export async function runChild(specJson: string): Promise<string> {
  const spec = JSON.parse(specJson) as ChildSpec;
  if (spec.kind === 'cold-start') {
    const started = performance.now();
    const model = childModel(spec);
    const extractor = await createMfccExtractor();
    const wav = readWavFile(spec.wav);
    const impl = await openImpl(spec.impl, model);
    const opened = performance.now();
    try {
      const logits = Array.from(await impl.logits(extractor.mfcc(wav.samples, wav.sampleRateHz, model.checked.lengthSamples), 1));
      const result: ColdStartResult = { logits, probs: Array.from(softmax(logits)), phases: { started, opened, done: performance.now() } };
      return CHILD_MARKER + JSON.stringify(result);
    } finally {
      await impl.close();
    }
  }
  const input = await loadBenchInput(spec.model, spec.data);
  const impl = await openImpl(spec.impl, childModel(spec));
  try {
    const { rows, ops } = await measureNetwork(impl, input, spec.reference, SETTINGS[spec.suite], spec.suite, () => {});
    const result: NetworkChildResult = { rows, ops, description: impl.description };
    return CHILD_MARKER + JSON.stringify(result);
  } finally {
    await impl.close();
  }
}

/** A child's result and how long after its spawn the result line arrived. */
export interface ChildRun<T> {
  readonly result: T;
  readonly elapsedMs: number;
}

/**
 * Spawns `msse bench --child SPEC` (the package's bin/msse.js, so the CLI bundle must be built) and resolves when it
 * has printed its result line and exited; a child that prints its result but does not exit within `exitGraceMs`
 * (a runtime's worker threads holding the event loop) is killed. `timeoutMs` bounds the whole run.
 * @throws MsseError with the child's last line of stderr when it fails
 */
export function spawnChild<T>(spec: ChildSpec, timeoutMs: number, exitGraceMs = 10_000): Promise<ChildRun<T>> {
  const what = `${spec.kind} child (${implLabel(spec.impl)})`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'msse.js'), 'bench', '--child', JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let found: ChildRun<T> | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const complete = stdout.split('\n').slice(0, -1); // the text after the last newline is not a line yet
      const line = complete.find((l) => l.startsWith(CHILD_MARKER));
      if (found === undefined && line !== undefined) {
        found = { elapsedMs: performance.now() - started, result: JSON.parse(line.slice(CHILD_MARKER.length)) as T };
        graceTimer = setTimeout(() => child.kill('SIGKILL'), exitGraceMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => reject(new MsseError(`bench: cannot start the ${what}: ${error.message}`, { cause: error })));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      if (found !== undefined) return resolve(found);
      const last = stderr.trim().split('\n').at(-1) ?? '';
      const how = signal === null ? `exit code ${code}` : `signal ${signal}${signal === 'SIGKILL' ? ` (no result within ${timeoutMs / 1000} s)` : ''}`;
      reject(new MsseError(`bench: the ${what} failed (${how})${last === '' ? '' : `: ${last}`}`));
    });
  });
}
