/**
 * Per-kernel tables of msse's WebGPU passes: every dispatch of one pass (src/profile/ops-profile.ts: recorded, then
 * each replayed alone and timed), summed per kernel (`family.entry`), with FLOPs and compulsory bytes from the
 * shapes (src/backends/webgpu/cost.ts), the rates, and the fraction of this machine's measured roofline.
 */
import { frameCount } from '../../src/audio/mfcc-settings.ts';
import { runInference } from '../../src/infer/predict.ts';
import { recordTrainingStep } from '../../src/model/step.ts';
import { profilePass, type OpProfile, type ProfiledPass } from '../../src/profile/ops-profile.ts';
import type { NetworkImpl } from './impls.ts';
import { firstExamples, type BenchInput } from './input.ts';
import { bestRoofline, measureRoofline, rooflineFraction, type Roofline } from './roofline.ts';
import type { BenchSettings } from './settings.ts';
import { throwawayModel } from './training-case.ts';

export interface KernelRow {
  /** `family.entry`, the pipeline label. */
  readonly kernel: string;
  readonly calls: number;
  /** Replayed time, summed over the pass's calls. */
  readonly ms: number;
  readonly flops: number;
  readonly bytes: number;
  /** Time the roofline allows over the time taken (0–1; 0 when too short to time). */
  readonly roofline: number;
}

export interface KernelTable {
  readonly pass: OpProfile['pass'];
  readonly batch: number;
  readonly frames: number;
  /** The whole pass as one command buffer (median). */
  readonly passMs: number;
  readonly dispatches: number;
  /** The replayed dispatches' times, summed. */
  readonly replayedMs: number;
  /** Latency of an empty submit, subtracted from every replayed dispatch. */
  readonly overheadMs: number;
  readonly timing: string;
  /** Slowest kernel first. */
  readonly rows: readonly KernelRow[];
}

/** A profile's dispatches summed per kernel, against `roofline`. */
export function kernelTable(profile: OpProfile, roofline: Roofline): KernelTable {
  const byKernel = new Map<string, { kernel: string; calls: number; ms: number; flops: number; bytes: number }>();
  for (const r of profile.rows) {
    const k = byKernel.get(r.label) ?? { kernel: r.label, calls: 0, ms: 0, flops: 0, bytes: 0 };
    k.calls++;
    k.ms += r.ms;
    k.flops += r.flops;
    k.bytes += r.bytes;
    byKernel.set(r.label, k);
  }
  const rows = [...byKernel.values()].map((k) => ({ ...k, roofline: rooflineFraction(roofline, k.flops, k.bytes, k.ms) })).sort((a, b) => b.ms - a.ms);
  return {
    pass: profile.pass,
    batch: profile.batch,
    frames: profile.frames,
    passMs: profile.stepMs,
    dispatches: profile.rows.length,
    replayedMs: rows.reduce((sum, r) => sum + r.ms, 0),
    overheadMs: profile.overheadMs,
    timing: profile.timing,
    rows,
  };
}

/**
 * The roofline of `impl`'s WebGPU device (the better of a probe before and one after the profiles) and the tables
 * of its passes on the input: inference as the library runs it (fused where the backend can) at the settings'
 * batches, the unfused forward at batch 1 when the fused one ran (what fusion removed), and one training step.
 */
export async function webgpuKernelTables(impl: NetworkImpl, input: BenchInput, settings: BenchSettings): Promise<{ roofline: Roofline; tables: KernelTable[] }> {
  const { webgpu: open, params, fused } = impl.msse!;
  const { backend, tensors } = open!;
  const probe = { rounds: settings.rooflineRounds, repeats: Math.max(3, settings.profile.repeats) };
  const before = await measureRoofline(tensors!.ctx, probe);

  const { config } = input.checked;
  const frames = frameCount(input.checked.lengthSamples);
  const upload = (batch: number) => backend.upload(firstExamples(input, batch), [batch, frames, config.feat], 'x', { transient: true });
  const { repeats } = settings.profile;
  const profile = (pass: ProfiledPass) => profilePass(backend, tensors!, pass, repeats);
  const profiles: OpProfile[] = [];
  for (const batch of settings.profile.inferenceBatches) {
    const name = fused === undefined ? 'forward (inference)' : 'fused forward (inference)';
    profiles.push(await profile({ name, batch, frames, record: () => runInference(backend, config, params, upload(batch), fused).logits }));
  }
  if (fused !== undefined) {
    profiles.push(await profile({ name: 'forward (inference)', batch: 1, frames, record: () => runInference(backend, config, params, upload(1)).logits }));
  }
  const batch = settings.profile.trainingBatch;
  const model = throwawayModel(backend, input);
  try {
    const labels = input.labels.subarray(0, batch);
    const moments = (name: string) => model.moments.get(name)!;
    const record = (step: number) => recordTrainingStep(backend, config, model.params, upload(batch), labels, { seed: 1, t: step }, moments).loss;
    profiles.push(await profile({ name: 'training step (forward, backward, Adam)', batch, frames, record }));
  } finally {
    model.dispose();
  }
  const roofline = bestRoofline(before, await measureRoofline(tensors!.ctx, probe));
  return { roofline, tables: profiles.map((p) => kernelTable(p, roofline)) };
}
