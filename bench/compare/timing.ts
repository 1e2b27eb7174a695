/** One timed task with tinybench: mean, p99 and sample count in milliseconds. */
import { Bench } from 'tinybench';
import type { Budget } from './settings.ts';

export interface Timing {
  readonly meanMs: number;
  readonly p99Ms: number;
  readonly samples: number;
}

/**
 * Times `run` (given the iteration number, so callers can rotate through their inputs) over `budget`: tinybench
 * runs until both the time and the sample count are reached, after `warmup` untimed iterations. Errors propagate.
 */
export async function timeTask(name: string, run: (iteration: number) => Promise<unknown> | unknown, budget: Budget): Promise<Timing> {
  let iteration = 0;
  const bench = new Bench({
    time: budget.timeMs,
    iterations: budget.samples,
    warmup: budget.warmup > 0,
    warmupIterations: budget.warmup,
    warmupTime: 0,
    throws: true,
  });
  bench.add(name, async () => {
    await run(iteration++);
  });
  await bench.run();
  const result = bench.tasks[0]!.result as unknown as { latency?: { mean: number; p99: number; samplesCount: number } };
  const latency = result.latency;
  if (latency === undefined) throw new Error(`bench: ${name} recorded no samples`);
  return { meanMs: latency.mean, p99Ms: latency.p99, samples: latency.samplesCount };
}
