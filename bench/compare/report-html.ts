/**
 * `msse bench --html OUT`: the report as one self-contained HTML file: a bar chart per case and batch (inline SVG,
 * each group on its own scale, msse's bars in one colour and the peers' in another), the table of every row, the
 * notes and the per-kernel tables. No scripts, fonts or external references.
 */
import { escapeXml, px } from '../../src/report/svg.ts';
import type { KernelTable } from './kernel-table.ts';
import { FASTEST_HEADING, fastestAgainstFastest, msseConfigsOf, passOverKernels, ratioTo } from './report-markdown.ts';
import type { BenchResult } from './run-bench.ts';
import { implLabel, type BenchRow } from './rows.ts';

const MSSE_COLOUR = 'hsl(210, 60%, 50%)';
const PEER_COLOUR = 'hsl(30, 70%, 55%)';

const fmt = (value: number | null): string => (value === null ? '–' : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

/** Horizontal bars, one group per case and batch, each bar as long as its mean over the group's longest mean. */
export function barChartSvg(rows: readonly BenchRow[]): string {
  const timed = rows.filter((r) => r.mean_ms !== null);
  const groups = [...new Set(timed.map((r) => `${r.case}, batch ${r.batch}`))];
  const width = 760;
  const labelWidth = 170;
  const barArea = width - labelWidth - 90;
  const barHeight = 16;
  const parts: string[] = [];
  let y = 8;
  for (const group of groups) {
    const members = timed.filter((r) => `${r.case}, batch ${r.batch}` === group);
    const longest = Math.max(...members.map((r) => r.mean_ms!));
    parts.push(`<text class="group" x="0" y="${y + 12}">${escapeXml(group)} (ms, mean)</text>`);
    y += 20;
    for (const r of members) {
      const w = Math.max(1, (r.mean_ms! / longest) * barArea);
      const colour = r.impl === 'msse' ? MSSE_COLOUR : PEER_COLOUR;
      const label = implLabel(r);
      parts.push(`<text x="${labelWidth - 6}" y="${y + 12}" text-anchor="end">${escapeXml(label)}</text>`);
      parts.push(`<rect x="${labelWidth}" y="${y}" width="${px(w)}" height="${barHeight}" fill="${colour}"><title>${escapeXml(`${label}: ${fmt(r.mean_ms)} ms mean, ${fmt(r.p99_ms)} ms p99, ${r.samples} samples`)}</title></rect>`);
      parts.push(`<text x="${px(labelWidth + w + 6)}" y="${y + 12}">${fmt(r.mean_ms)}</text>`);
      y += barHeight + 4;
    }
    y += 10;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-size="12" font-family="sans-serif" role="img" aria-label="mean milliseconds per case, batch and implementation">${parts.join('')}</svg>`;
}

function kernelTableHtml(t: KernelTable): string {
  const rate = (num: number, time: number) => (time > 0 ? (num / time / 1e6).toFixed(2) : '–');
  const body = t.rows
    .map(
      (r) =>
        `<tr><td>${escapeXml(r.kernel)}</td><td>${r.calls}</td><td>${r.ms.toFixed(3)}</td><td>${(r.flops / 1e6).toFixed(1)}</td><td>${(r.bytes / 1e6).toFixed(1)}</td><td>${rate(r.flops, r.ms)}</td><td>${rate(r.bytes, r.ms)}</td><td>${r.ms > 0 ? `${(100 * r.roofline).toFixed(0)}%` : '–'}</td></tr>`,
    )
    .join('\n');
  return `<h3>${escapeXml(`${t.pass}, B=${t.batch}, T=${t.frames}`)}</h3>
<p class="note">Whole pass ${t.passMs.toFixed(1)} ms as one command buffer (median); ${t.dispatches} dispatches, replayed one by one ${t.replayedMs.toFixed(1)} ms in all (${t.overheadMs.toFixed(3)} ms of empty-submit latency subtracted from each); ${passOverKernels(t)}.</p>
<table><tr><th>kernel</th><th>calls</th><th>ms</th><th>MFLOP</th><th>MB</th><th>GFLOP/s</th><th>GB/s</th><th>of roofline</th></tr>
${body}
</table>`;
}

export function renderBenchHtml(result: BenchResult, command: string): string {
  const { rows } = result;
  const configs = msseConfigsOf(rows);
  const table = rows
    .map((r) => {
      const ratios = configs.map((c) => {
        const x = ratioTo(rows, r, c);
        return `<td>${x === undefined ? '–' : `${x.toFixed(2)}×`}</td>`;
      });
      const mean = r.mean_ms === null ? `<span title="${escapeXml(r.note ?? '')}">not run</span>` : fmt(r.mean_ms);
      const parity = r.parity === null ? '–' : r.parity === 0 ? '0' : r.parity.toExponential(1);
      return `<tr><td>${r.case}</td><td>${r.batch}</td><td>${escapeXml(implLabel(r))}</td><td>${mean}</td><td>${fmt(r.p99_ms)}</td><td>${r.samples}</td><td>${parity}</td>${ratios.join('')}</tr>`;
    })
    .join('\n');
  const notes = [...rows.filter((r) => r.note !== undefined).map((r) => `${r.case}, ${implLabel(r)}: ${r.note}`), ...result.notes];
  const impls = result.implementations.map((i) => `<li>${escapeXml(`${i.label}: ${i.description}${i.ops === undefined ? '' : `; ${i.ops.count} ${i.ops.what}`}`)}</li>`);
  const roofline =
    result.roofline === undefined
      ? ''
      : `<h2>Per kernel (msse on WebGPU)</h2><p class="note">Roofline of this adapter: ${result.roofline.peakGflops.toFixed(1)} GFLOP/s, ${result.roofline.bandwidthGBs.toFixed(2)} GB/s (${escapeXml(result.roofline.method)}). Fraction of the roofline: max(FLOP / peak, bytes / bandwidth) / time.</p>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>msse bench (${result.suite})</title>
<style>body{font:14px sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}td:nth-child(-n+3),th:nth-child(-n+3){text-align:left}th{background:#f2f2f2}.note{color:#555;max-width:70em}.chart text.group{font-weight:bold}</style>
</head><body>
<h1>msse bench (${result.suite})</h1>
<p class="note">Command: <code>${escapeXml(command)}</code>. Machine: ${escapeXml(result.machine)}.</p>
<ul>${impls.join('')}</ul>
<h2>Mean time per call</h2>
<p class="note"><span style="color:${MSSE_COLOUR}">■</span> msse <span style="color:${PEER_COLOUR}">■</span> peers. Each group has its own scale.</p>
${barChartSvg(rows)}
<h2>Every row</h2>
<table><tr><th>case</th><th>batch</th><th>implementation</th><th>mean ms</th><th>p99 ms</th><th>samples</th><th>parity</th>${configs.map((c) => `<th>÷ ${escapeXml(c)}</th>`).join('')}</tr>
${table}
</table>
<p class="note">${escapeXml(FASTEST_HEADING)}</p>
<ul>${fastestAgainstFastest(rows).map((l) => `<li>${escapeXml(l)}</li>`).join('')}</ul>
<ul class="note">${notes.map((n) => `<li>${escapeXml(n)}</li>`).join('')}</ul>
${roofline}
${result.kernelTables.map(kernelTableHtml).join('\n')}
</body></html>
`;
}
