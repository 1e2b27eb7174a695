import type { DispatchContext } from './dispatch.ts';
import type { DispatchRecord } from './recorder.ts';

/** Every dispatch `run` records, in order (the recorder's listener is restored afterwards). */
export function captureDispatches<T>(ctx: DispatchContext, run: () => T): { result: T; records: DispatchRecord[] } {
  const records: DispatchRecord[] = [];
  const previous = ctx.recorder.listener;
  ctx.recorder.listener = (record) => records.push(record);
  try {
    return { result: run(), records };
  } finally {
    ctx.recorder.listener = previous;
  }
}

export interface DispatchTimes {
  /** Median wall time of each record, submitted alone and waited for, minus `overheadMs` (not below 0). */
  readonly milliseconds: number[];
  /** Median wall time of submitting and waiting for an empty command buffer: what each figure had subtracted. */
  readonly overheadMs: number;
  readonly method: string;
}

/**
 * Times recorded dispatches by replaying each one alone: one command buffer per dispatch, then waiting for the
 * queue (`onSubmittedWorkDone`), `repeats` times, median. This is CPU-side timing, for adapters without
 * 'timestamp-query' (llvmpipe has none); it includes submission latency, measured on an empty command buffer and
 * subtracted. Replays read and write the same buffers again (in-place kernels such as Adam change their
 * parameters), so profile on a throwaway model. Call after the recorded work has run once (pipelines compiled).
 */
export async function timeDispatches(ctx: DispatchContext, records: readonly DispatchRecord[], repeats = 5): Promise<DispatchTimes> {
  const { device } = ctx.gpu;
  /** One submit of `record` alone (or of an empty command buffer: the latency to subtract), waited for. */
  const once = async (record: DispatchRecord | undefined): Promise<number> => {
    const started = performance.now();
    const encoder = device.createCommandEncoder({ label: `profile ${record?.label ?? 'latency'}` });
    if (record !== undefined) {
      const pass = encoder.beginComputePass();
      pass.setPipeline(record.pipeline);
      pass.setBindGroup(0, record.bindGroup);
      pass.dispatchWorkgroups(record.workgroups[0], record.workgroups[1]);
      pass.end();
    }
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    return performance.now() - started;
  };
  const median = async (record: DispatchRecord | undefined): Promise<number> => {
    const samples: number[] = [];
    for (let r = 0; r < repeats; r++) samples.push(await once(record));
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)]!;
  };
  ctx.recorder.flush();
  await device.queue.onSubmittedWorkDone();
  const overheadMs = await median(undefined);
  const milliseconds: number[] = [];
  for (const record of records) milliseconds.push(Math.max(0, (await median(record)) - overheadMs));
  await ctx.gpu.errors.check();
  return { milliseconds, overheadMs, method: `CPU-side: each dispatch submitted alone and awaited, median of ${repeats}, minus the latency of an empty submit` };
}
