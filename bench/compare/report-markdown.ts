/**
 * `msse bench`'s report as Markdown (what the command prints and bench/RESULTS.md holds): the run, the
 * implementations, one table of every row with ratios to each msse configuration, msse's fastest against the
 * fastest peer, the notes, the per-kernel tables.
 */
import type { KernelTable } from './kernel-table.ts';
import type { BenchResult } from './run-bench.ts';
import { implLabel, type BenchRow } from './rows.ts';

const ms = (value: number | null): string => (value === null ? '–' : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const sci = (value: number | null): string => (value === null ? '–' : value === 0 ? '0' : value.toExponential(1));

/** The msse rows each row is compared with: one column per msse configuration (implLabel) that has timed rows. */
export function msseConfigsOf(rows: readonly BenchRow[]): string[] {
  return [...new Set(rows.filter((r) => r.impl === 'msse' && r.mean_ms !== null && r.case !== 'mfcc').map(implLabel))];
}

/** row's mean over the mean of msse configuration `label` for the same case and batch (>1: slower than msse), or undefined. */
export function ratioTo(rows: readonly BenchRow[], row: BenchRow, label: string): number | undefined {
  const msse = rows.find((r) => implLabel(r) === label && r.case === row.case && r.batch === row.batch);
  return row.mean_ms === null || msse?.mean_ms == null || implLabel(row) === label ? undefined : row.mean_ms / msse.mean_ms;
}

/**
 * Per case and batch that msse and a peer both timed: the fastest peer configuration's mean over msse's fastest
 * configuration's, each named (above 1: msse is faster; at one batch size also msse's throughput over the peer's).
 */
export function fastestAgainstFastest(rows: readonly BenchRow[]): string[] {
  const fastest = (of: readonly BenchRow[]) => of.reduce<BenchRow | undefined>((best, r) => (best === undefined || r.mean_ms! < best.mean_ms! ? r : best), undefined);
  const groups = new Map<string, BenchRow[]>();
  for (const r of rows.filter((r) => r.mean_ms !== null)) {
    const key = `${r.case}, batch ${r.batch}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups].flatMap(([group, members]) => {
    const [msse, peer] = [fastest(members.filter((r) => r.impl === 'msse')), fastest(members.filter((r) => r.impl !== 'msse'))];
    if (msse === undefined || peer === undefined) return [];
    return [`${group}: ${implLabel(peer)} ${ms(peer.mean_ms)} ms ÷ ${implLabel(msse)} ${ms(msse.mean_ms)} ms = ${(peer.mean_ms! / msse.mean_ms!).toFixed(2)}x`];
  });
}

/** What fastestAgainstFastest's lines are. */
export const FASTEST_HEADING = "Fastest against fastest: per case and batch, the fastest peer's mean over msse's fastest configuration's (above 1: msse is faster; the same ratio of throughputs).";

/** How the whole pass compares with the sum of its kernels: the per-dispatch cost outside the kernels. */
export function passOverKernels(t: KernelTable): string {
  const extra = t.passMs - t.replayedMs;
  return extra >= 0
    ? `the pass takes ${extra.toFixed(1)} ms more than its kernels, ${(extra / t.dispatches).toFixed(3)} ms a dispatch`
    : `the replays sum to ${(-extra).toFixed(1)} ms more than the pass (the machine's load changed between them)`;
}

export function kernelTableMarkdown(t: KernelTable): string[] {
  const rate = (num: number, time: number) => (time > 0 ? (num / time / 1e6).toFixed(2) : '–');
  return [
    `**${t.pass}, B=${t.batch}, T=${t.frames}**: whole pass ${t.passMs.toFixed(1)} ms as one command buffer (median); ${t.dispatches} dispatches, ` +
      `replayed one by one ${t.replayedMs.toFixed(1)} ms in all after subtracting ${t.overheadMs.toFixed(3)} ms of empty-submit latency from each; ${passOverKernels(t)}`,
    '',
    '| kernel | calls | ms | MFLOP | MB | GFLOP/s | GB/s | of roofline |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...t.rows.map(
      (r) =>
        `| ${r.kernel} | ${r.calls} | ${r.ms.toFixed(3)} | ${(r.flops / 1e6).toFixed(1)} | ${(r.bytes / 1e6).toFixed(1)} | ` +
        `${rate(r.flops, r.ms)} | ${rate(r.bytes, r.ms)} | ${r.ms > 0 ? `${(100 * r.roofline).toFixed(0)}%` : '–'} |`,
    ),
  ];
}

/** The report; `command` is how the run was started. */
export function benchMarkdown(result: BenchResult, command: string): string[] {
  const { rows } = result;
  const configs = msseConfigsOf(rows);
  const lines = [
    `Command: \`${command}\` (suite ${result.suite}). Machine: ${result.machine}.`,
    '',
    'Implementations (op counts: one batch-1 forward):',
    ...result.implementations.map((i) => `- ${i.label}: ${i.description}${i.ops === undefined ? '' : `; ${i.ops.count} ${i.ops.what}`}`),
    '',
    `| case | batch | implementation | mean ms | p99 ms | samples | parity |${configs.map((c) => ` ÷ ${c} |`).join('')}`,
    `| --- | --- | --- | --- | --- | --- | --- |${configs.map(() => ' --- |').join('')}`,
  ];
  for (const r of rows) {
    const ratios = configs.map((c) => {
      const x = ratioTo(rows, r, c);
      return ` ${x === undefined ? '–' : `${x.toFixed(2)}x`} |`;
    });
    const mean = r.mean_ms === null ? `not run${r.note === undefined ? '' : ' (note)'}` : ms(r.mean_ms);
    lines.push(`| ${r.case} | ${r.batch} | ${implLabel(r)} | ${mean} | ${ms(r.p99_ms)} | ${r.samples} | ${sci(r.parity)} |${ratios.join('')}`);
  }
  lines.push('', 'Ratios: the row\'s mean over that msse configuration\'s mean for the same case and batch (above 1: msse is faster).', '');
  const fastest = fastestAgainstFastest(rows);
  if (fastest.length > 0) lines.push(FASTEST_HEADING, '', ...fastest.map((l) => `- ${l}`), '');
  const rowNotes = rows.filter((r) => r.note !== undefined);
  if (rowNotes.length > 0) lines.push(...rowNotes.map((r) => `- ${r.case}, ${implLabel(r)}: ${r.note}`), '');
  lines.push(...result.notes.map((n) => `- ${n}`));
  if (result.roofline !== undefined) {
    const { peakGflops, bandwidthGBs, method } = result.roofline;
    lines.push('', `Roofline of this adapter: ${peakGflops.toFixed(1)} GFLOP/s, ${bandwidthGBs.toFixed(2)} GB/s (${method}).`);
    lines.push(
      'Per kernel (family.entry), summed over the pass: FLOPs and compulsory bytes from the shapes (a multiply-add is 2 ' +
        'FLOP), replayed time, and the fraction of the roofline reached: max(FLOP / peak, bytes / bandwidth) / time. ' +
        "Above 100%: the kernel's tensors stay in cache (the bandwidth ceiling is a copy of 16-64 MiB), or its replayed " +
        'time is within the noise of the submit latency subtracted from it; 0 ms: below that noise.',
    );
  }
  for (const t of result.kernelTables) lines.push('', ...kernelTableMarkdown(t));
  return lines;
}
