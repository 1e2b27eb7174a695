import type { OpenBackend } from '../backends/open-node.ts';
import { dispatchCost } from '../backends/webgpu/cost.ts';
import { captureDispatches, timeDispatches } from '../backends/webgpu/profiler.ts';
import { GpuError } from '../errors.ts';
import type { MsseConfig } from '../model/config.ts';
import { recordInference, recordTrainingStep, transientZeroMoments } from '../model/step.ts';
import type { ParamStore } from '../runtime/params.ts';
import { formatShape } from '../runtime/tensor.ts';
import { counterUniform } from '../runtime/random.ts';

export interface OpRow {
  readonly index: number;
  /** `family.entry`, the pipeline label. */
  readonly label: string;
  readonly shapes: string;
  readonly workgroups: readonly [number, number];
  readonly flops: number;
  readonly bytes: number;
  readonly ms: number;
}

export interface FamilyTotal {
  readonly family: string;
  readonly calls: number;
  readonly flops: number;
  readonly bytes: number;
  readonly ms: number;
}

export interface OpProfile {
  readonly adapter: string;
  readonly pass: 'forward (inference)' | 'training step (forward, backward, Adam)';
  readonly batch: number;
  readonly frames: number;
  readonly timing: string;
  readonly overheadMs: number;
  /** Wall time of the whole pass recorded and submitted as one command buffer, median of the repeats. */
  readonly stepMs: number;
  /** Bytes of the storage buffers the pass needed (the pool after one pass, the parameters included). */
  readonly poolBytes: number;
  readonly rows: readonly OpRow[];
  readonly families: readonly FamilyTotal[];
}

export interface ProfileOptions {
  readonly batch: number;
  readonly frames: number;
  readonly train: boolean;
  readonly seed: number;
  readonly repeats: number;
}

/**
 * Runs one pass of the network on a seeded random batch with the webgpu backend, lists every dispatch with its
 * shapes, workgroups, FLOPs, compulsory bytes and replayed time, and times the whole pass as one submit.
 * Training passes update `params` in place: profile a throwaway model.
 */
export async function profileNetwork(open: OpenBackend, config: MsseConfig, params: ParamStore, options: ProfileOptions): Promise<OpProfile> {
  const { backend, tensors, gpu } = open;
  if (tensors === undefined || gpu === undefined) throw new GpuError('inspect --ops needs the webgpu backend');
  const { batch, frames } = options;
  const input = Float32Array.from({ length: batch * frames * config.feat }, (_, i) => 2 * counterUniform(options.seed, 0, 0, 0, i) - 1);
  const labels = Int32Array.from({ length: batch }, (_, b) => b % config.numClasses);
  const pass = (step: number) => {
    const x = backend.upload(input, [batch, frames, config.feat], 'x', { transient: true });
    return options.train
      ? recordTrainingStep(backend, config, params, x, labels, { seed: options.seed, t: step }, transientZeroMoments(backend)).loss
      : recordInference(backend, config, params, x).logits;
  };

  // Warm-up: compiles every pipeline (Mesa compiles at first use) and fills the buffer pool.
  await backend.read(pass(1));
  backend.releaseTransients();
  const poolBytes = tensors.ctx.pool.stats.createdBytes;
  const stepSamples: number[] = [];
  for (let r = 0; r < options.repeats; r++) {
    const started = performance.now();
    await backend.read(pass(2 + r));
    stepSamples.push(performance.now() - started);
    backend.releaseTransients();
  }
  stepSamples.sort((a, b) => a - b);

  const { result: out, records } = captureDispatches(tensors.ctx, () => pass(2 + options.repeats));
  await backend.read(out);
  const times = await timeDispatches(tensors.ctx, records, options.repeats);
  backend.releaseTransients();

  const rows = records.map((r, index): OpRow => ({
    index,
    label: r.label,
    shapes: r.shapes.map(formatShape).join(' '),
    workgroups: r.workgroups,
    ...dispatchCost(r.label, r.shapes),
    ms: times.milliseconds[index]!,
  }));
  return {
    adapter: `${gpu.adapter.description || gpu.adapter.device} (${gpu.adapter.backend})`,
    pass: options.train ? 'training step (forward, backward, Adam)' : 'forward (inference)',
    batch,
    frames,
    timing: times.method,
    overheadMs: times.overheadMs,
    stepMs: stepSamples[Math.floor(stepSamples.length / 2)]!,
    poolBytes,
    rows,
    families: familyTotals(rows),
  };
}

/** Calls, FLOPs, bytes and time summed per op family, slowest first. */
function familyTotals(rows: readonly OpRow[]): FamilyTotal[] {
  const totals = new Map<string, { family: string; calls: number; flops: number; bytes: number; ms: number }>();
  for (const row of rows) {
    const family = row.label.split('.')[0]!;
    const total = totals.get(family) ?? { family, calls: 0, flops: 0, bytes: 0, ms: 0 };
    total.calls++;
    total.flops += row.flops;
    total.bytes += row.bytes;
    total.ms += row.ms;
    totals.set(family, total);
  }
  return [...totals.values()].sort((a, b) => b.ms - a.ms);
}
