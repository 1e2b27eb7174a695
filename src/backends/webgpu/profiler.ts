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
  /** Median wall time of submitting and waiting for an empty dispatch: what each figure had subtracted. */
  readonly overheadMs: number;
  readonly method: string;
}

/**
 * Times recorded dispatches by replaying each one alone: one command buffer per dispatch, then waiting for the
 * queue (`onSubmittedWorkDone`), `repeats` times, median. This is CPU-side timing, for adapters without
 * 'timestamp-query' (llvmpipe has none); it includes submission latency, measured on an empty dispatch and
 * subtracted. Replays read and write the same buffers again (in-place kernels such as Adam change their
 * parameters), so profile on a throwaway model. Call after the recorded work has run once (pipelines compiled).
 */
export async function timeDispatches(ctx: DispatchContext, records: readonly DispatchRecord[], repeats = 5): Promise<DispatchTimes> {
  const { device } = ctx.gpu;
  const once = async (record: DispatchRecord, empty: boolean): Promise<number> => {
    const started = performance.now();
    const encoder = device.createCommandEncoder({ label: `profile ${record.label}` });
    const pass = encoder.beginComputePass();
    pass.setPipeline(record.pipeline);
    pass.setBindGroup(0, record.bindGroup);
    if (empty) pass.dispatchWorkgroups(0);
    else pass.dispatchWorkgroups(record.workgroups[0], record.workgroups[1]);
    pass.end();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    return performance.now() - started;
  };
  const median = async (record: DispatchRecord, empty: boolean): Promise<number> => {
    const samples: number[] = [];
    for (let r = 0; r < repeats; r++) samples.push(await once(record, empty));
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)]!;
  };
  ctx.recorder.flush();
  await device.queue.onSubmittedWorkDone();
  const overheadMs = records.length === 0 ? 0 : await median(records[0]!, true);
  const milliseconds: number[] = [];
  for (const record of records) milliseconds.push(Math.max(0, (await median(record, false)) - overheadMs));
  await ctx.gpu.errors.check();
  return { milliseconds, overheadMs, method: `CPU-side: each dispatch submitted alone and awaited, median of ${repeats}, minus empty-dispatch latency` };
}
