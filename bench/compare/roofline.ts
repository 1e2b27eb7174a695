/**
 * This machine's roofline as WebGPU kernels see it, measured with shaders/roofline.wgsl: the compute ceiling from
 * `multiplyAdd` (register-only multiply-add chains) and the bandwidth ceiling from `copy` (a vec4 storage copy), each timed
 * as the per-kernel table's dispatches are (replayed alone, CPU-side, median, empty-submit latency subtracted), best
 * of a few sizes. A kernel's fraction of the roofline is then max(FLOPs / peak, bytes / bandwidth) / its time.
 */
import type { DispatchContext } from '../../src/backends/webgpu/dispatch.ts';
import { BufferUsage } from '../../src/backends/webgpu/gpu-flags.ts';
import { captureDispatches, timeDispatches } from '../../src/backends/webgpu/profiler.ts';
import { MULTIPLY_ADD_FLOPS_PER_ROUND, rooflineCopy, rooflineMultiplyAdd } from '../../src/backends/webgpu/roofline.ts';

export interface Roofline {
  /** Compute ceiling: best GFLOP/s of the multiplyAdd kernel. */
  readonly peakGflops: number;
  /** Bandwidth ceiling: best GB/s of the copy kernel, bytes read plus bytes written. */
  readonly bandwidthGBs: number;
  /** How the two were measured, for the report. */
  readonly method: string;
}

/**
 * The higher ceilings of two measurements: on a shared machine a probe run while other work holds a core reads
 * low, and a ceiling below what a kernel reached would put it above 100%.
 */
export function bestRoofline(a: Roofline, b: Roofline): Roofline {
  return {
    peakGflops: Math.max(a.peakGflops, b.peakGflops),
    bandwidthGBs: Math.max(a.bandwidthGBs, b.bandwidthGBs),
    method: `${a.method}; best of two runs, before and after the profiles`,
  };
}

/** Fraction of the roofline a kernel reached: the time the ceilings allow over the time it took (0 when not timed). */
export function rooflineFraction(roofline: Roofline, flops: number, bytes: number, ms: number): number {
  if (ms <= 0) return 0;
  const boundMs = Math.max(flops / roofline.peakGflops, bytes / roofline.bandwidthGBs) / 1e6;
  return boundMs / ms;
}

/** Invocations of the multiplyAdd probe: 1024 workgroups of 64, far more than any adapter here has lanes. */
const PROBE_INVOCATIONS = 65_536;

/**
 * Measures the roofline on `ctx`'s device. `rounds` sets the multiplyAdd probe's length (1024: about 4.3 GFLOP a
 * dispatch); the copy runs over 16, 32 and 64 MiB.
 */
export async function measureRoofline(ctx: DispatchContext, options: { rounds: number; repeats: number }): Promise<Roofline> {
  const { device } = ctx.gpu;
  const usage = BufferUsage.STORAGE;
  const sums = device.createBuffer({ label: 'roofline.sums', size: PROBE_INVOCATIONS * 16, usage });
  const copySizes = [16, 32, 64].map((mib) => mib * 2 ** 20);
  const x = device.createBuffer({ label: 'roofline.x', size: copySizes.at(-1)!, usage });
  const y = device.createBuffer({ label: 'roofline.y', size: copySizes.at(-1)!, usage });
  try {
    const { records } = captureDispatches(ctx, () => {
      for (const rounds of [options.rounds / 2, options.rounds]) rooflineMultiplyAdd(ctx, sums, PROBE_INVOCATIONS, rounds);
      for (const size of copySizes) rooflineCopy(ctx, x, y, size / 16);
    });
    ctx.recorder.flush();
    await device.queue.onSubmittedWorkDone(); // compiles both pipelines before timing
    const { milliseconds } = await timeDispatches(ctx, records, options.repeats);
    const peakRates = [options.rounds / 2, options.rounds].map((rounds, i) => (PROBE_INVOCATIONS * rounds * MULTIPLY_ADD_FLOPS_PER_ROUND) / milliseconds[i]! / 1e6);
    const copyRates = copySizes.map((size, i) => (2 * size) / milliseconds[2 + i]! / 1e6);
    return {
      peakGflops: Math.max(...peakRates),
      bandwidthGBs: Math.max(...copyRates),
      method:
        `peak: shaders/roofline.wgsl multiplyAdd, ${PROBE_INVOCATIONS} invocations × ${options.rounds / 2} and ${options.rounds} rounds of 8 vec4 multiply-add chains; ` +
        `bandwidth: roofline.wgsl copy (vec4) of 16, 32 and 64 MiB, read + write; each dispatch replayed alone, median of ${options.repeats}, best size`,
    };
  } finally {
    for (const buffer of [sums, x, y]) buffer.destroy();
  }
}
