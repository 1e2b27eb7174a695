import { dispatchCost } from '../backends/webgpu/cost.ts';
import { captureDispatches, timeDispatches } from '../backends/webgpu/profiler.ts';
import type { GpuTensors } from '../backends/webgpu/tensors.ts';
import type { BackendIO } from '../runtime/backend.ts';
import { formatShape, type Tensor } from '../runtime/tensor.ts';

/** One kernel call of a profiled pass, on any backend. */
export interface KernelRow {
  readonly index: number;
  /** `family.entry`: the pipeline label on WebGPU, the kernel called elsewhere (cpu-timing.ts). */
  readonly label: string;
  /** The tensors' shapes, inputs then outputs. */
  readonly shapes: string;
  readonly flops: number;
  readonly bytes: number;
  readonly ms: number;
}

/** One WebGPU dispatch: a kernel row and its grid. */
export interface OpRow extends KernelRow {
  readonly workgroups: readonly [number, number];
}

export interface FamilyTotal {
  readonly family: string;
  readonly calls: number;
  readonly flops: number;
  readonly bytes: number;
  readonly ms: number;
}

/** Every kernel call of one pass with its cost and time, on any backend (`msse inspect --ops`). */
export interface PassProfile {
  /** The device: the WebGPU adapter, or the backend and the CPU it ran on. */
  readonly adapter: string;
  readonly pass: 'forward (inference)' | 'fused forward (inference)' | 'training step (forward, backward, Adam)';
  readonly batch: number;
  readonly frames: number;
  /** How each row's time was measured. */
  readonly timing: string;
  /** Wall time of the whole pass, median of the repeats (on WebGPU recorded and submitted as one command buffer). */
  readonly stepMs: number;
  readonly rows: readonly KernelRow[];
  readonly families: readonly FamilyTotal[];
}

/** A pass profiled on WebGPU: every dispatch, the submit latency subtracted from each, and the buffers used. */
export interface OpProfile extends PassProfile {
  readonly overheadMs: number;
  /** Bytes of the storage buffers the pass needed (the pool after one pass, the parameters included). */
  readonly poolBytes: number;
  readonly rows: readonly OpRow[];
}

/** Whether `profile` came from profilePass (WebGPU: dispatches, their grids, submit latency, buffer pool). */
export function isWebGpuProfile(profile: PassProfile): profile is OpProfile {
  return 'poolBytes' in profile;
}

export function isDispatchRow(row: KernelRow): row is OpRow {
  return 'workgroups' in row;
}

/** One pass of a network to profile: what it is, its input's size, and how to record it (step = 1, 2, …). */
export interface ProfiledPass {
  readonly name: PassProfile['pass'];
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
export function familyTotals(rows: readonly KernelRow[]): FamilyTotal[] {
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
