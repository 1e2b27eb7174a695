import { dispatchCost } from '../backends/webgpu/cost.ts';
import { captureDispatches, timeDispatches } from '../backends/webgpu/profiler.ts';
import type { GpuTensors } from '../backends/webgpu/tensors.ts';
import type { BackendIO } from '../runtime/backend.ts';
import { formatShape, type Tensor } from '../runtime/tensor.ts';

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
  readonly pass: 'forward (inference)' | 'fused forward (inference)' | 'training step (forward, backward, Adam)';
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

/** One pass of a network to profile: what it is, its input's size, and how to record it (step = 1, 2, …). */
export interface ProfiledPass {
  readonly name: OpProfile['pass'];
  readonly batch: number;
  readonly frames: number;
  /** Records the pass on the backend (nothing is read) and returns the tensor whose read submits it. */
  record(step: number): Tensor;
}

/**
 * Runs `pass` on a WebGPU backend, lists every dispatch with its shapes, workgroups, FLOPs, compulsory bytes and
 * replayed time (median of `repeats`), and times the whole pass as one submit. Passes that update parameters in
 * place (training) run several times: profile a throwaway model.
 */
export async function profilePass(backend: BackendIO, tensors: GpuTensors, pass: ProfiledPass, repeats: number): Promise<OpProfile> {
  const { gpu } = tensors.ctx;
  // Warm-up: compiles every pipeline (Mesa compiles at first use) and fills the buffer pool.
  await backend.read(pass.record(1));
  backend.releaseTransients();
  const poolBytes = tensors.ctx.pool.stats.createdBytes;
  const stepSamples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    await backend.read(pass.record(2 + r));
    stepSamples.push(performance.now() - started);
    backend.releaseTransients();
  }
  stepSamples.sort((a, b) => a - b);

  const { result: out, records } = captureDispatches(tensors.ctx, () => pass.record(2 + repeats));
  await backend.read(out);
  const times = await timeDispatches(tensors.ctx, records, repeats);
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
    pass: pass.name,
    batch: pass.batch,
    frames: pass.frames,
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
