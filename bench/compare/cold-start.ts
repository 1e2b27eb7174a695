/**
 * `cold-start`: fresh processes (child.ts) of one implementation, one after the other, each timed from its spawn to
 * the line with its first probabilities; the children's own clocks split that time into phases (the row's note).
 */
import { join } from 'node:path';
import { relativeError } from '../../src/check/compare.ts';
import { spawnChild, type ColdStartResult, type OnnxFile } from './child.ts';
import type { ImplSpec } from './impls.ts';
import type { BenchInput } from './input.ts';
import { implRow } from './network-cases.ts';
import type { BenchRow } from './rows.ts';
import type { BenchSettings, Suite } from './settings.ts';

/** A fresh process gets this long to print its probabilities (a WebGPU one compiles its pipelines first). */
const COLD_START_TIMEOUT_MS = 120_000;

/**
 * Spawns `settings.coldStarts` processes of `spec` on the input's first WAV; its parity is the worst of their logits
 * against `referenceLogits` (whose first row is that utterance's).
 */
export async function measureColdStart(
  spec: ImplSpec,
  input: BenchInput,
  onnx: OnnxFile,
  referenceLogits: ArrayLike<number>,
  settings: BenchSettings,
  suite: Suite,
): Promise<BenchRow> {
  const reference = Array.from(referenceLogits).slice(0, input.checked.config.numClasses);
  const wav = join(input.dataDir, input.files[0]!);
  const times: number[] = [];
  const phases = { started: 0, opened: 0, done: 0 };
  let parity = 0;
  for (let i = 0; i < settings.coldStarts; i++) {
    const run = await spawnChild<ColdStartResult>({ kind: 'cold-start', impl: spec, model: input.modelPath, onnx, wav }, COLD_START_TIMEOUT_MS);
    times.push(run.elapsedMs);
    for (const k of ['started', 'opened', 'done'] as const) phases[k] += run.result.phases[k] / settings.coldStarts;
    parity = Math.max(parity, relativeError(run.result.logits, reference));
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((s, t) => s + t, 0) / times.length;
  const p99 = times[Math.min(times.length - 1, Math.ceil(0.99 * times.length) - 1)]!; // nearest rank
  const note =
    `in the child, mean ms since its process started: ${phases.started.toFixed(0)} Node and the CLI bundle, ` +
    `+${(phases.opened - phases.started).toFixed(0)} runtime and model open, +${(phases.done - phases.opened).toFixed(0)} MFCC and first forward`;
  return { ...implRow({ spec }, suite, 'cold-start', 1, parity, { meanMs: mean, p99Ms: p99, samples: times.length }), note };
}
