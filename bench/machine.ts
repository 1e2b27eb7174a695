import { cpus, totalmem } from 'node:os';

/** One line naming the machine a benchmark ran on, for bench/RESULTS.md. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
