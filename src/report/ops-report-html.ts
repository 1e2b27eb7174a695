import { isDispatchRow, isWebGpuProfile, type KernelRow, type PassProfile } from '../profile/ops-profile.ts';
import { escapeXml, px } from './svg.ts';

/** A colour per op family, stable across reports (hue from the name). */
function familyColour(family: string): string {
  let h = 0;
  for (const c of family) h = (h * 31 + c.charCodeAt(0)) % 360;
  return `hsl(${h}, 55%, 55%)`;
}

const familyOf = (row: KernelRow): string => row.label.split('.')[0]!;
const gflops = (flops: number, ms: number): string => (ms > 0 ? (flops / ms / 1e6).toFixed(2) : '–');
const gbps = (bytes: number, ms: number): string => (ms > 0 ? (bytes / ms / 1e6).toFixed(2) : '–');

/**
 * The kernel calls of one pass as a timeline: each a bar as long as its time, in the order of the pass,
 * coloured by op family (hover for its shapes and numbers); then the per-family totals and the full list.
 */
function timelineSvg(profile: PassProfile): string {
  const width = 1100;
  const rowHeight = 22;
  const total = profile.rows.reduce((sum, r) => sum + r.ms, 0) || 1;
  const families = profile.families.map((f) => f.family);
  const height = families.length * rowHeight + 30;
  let start = 0;
  const bars = profile.rows.map((row) => {
    const x = 130 + (start / total) * (width - 140);
    start += row.ms;
    const w = Math.max(0.5, (row.ms / total) * (width - 140));
    const y = families.indexOf(familyOf(row)) * rowHeight + 4;
    const tip = `#${row.index} ${row.label} ${row.shapes} — ${row.ms.toFixed(3)} ms, ${gflops(row.flops, row.ms)} GFLOP/s`;
    return `<rect x="${px(x)}" y="${y}" width="${px(w)}" height="${rowHeight - 6}" fill="${familyColour(familyOf(row))}"><title>${escapeXml(tip)}</title></rect>`;
  });
  const labels = families.map((f, i) => `<text x="124" y="${i * rowHeight + 17}" text-anchor="end">${escapeXml(f)}</text>`);
  const axis = `<text x="130" y="${height - 6}">0 ms</text><text x="${width - 10}" y="${height - 6}" text-anchor="end">${total.toFixed(1)} ms (sum of ${isWebGpuProfile(profile) ? 'replayed dispatches' : 'timed calls'})</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-size="12" font-family="sans-serif">${labels.join('')}${bars.join('')}${axis}</svg>`;
}

/** Where the pass ran and how its times were taken. */
function timingNote(profile: PassProfile): string {
  if (!isWebGpuProfile(profile)) {
    return `Ran on the ${escapeXml(profile.adapter)}. Whole pass: <b>${profile.stepMs.toFixed(1)} ms</b> (median). Per kernel call: ${escapeXml(profile.timing)}.`;
  }
  return `Adapter: ${escapeXml(profile.adapter)}. Whole pass, recorded and submitted as one command buffer: <b>${profile.stepMs.toFixed(1)} ms</b> (median), in ${(profile.poolBytes / 1e6).toFixed(1)} MB of storage buffers.
Per dispatch: ${escapeXml(profile.timing)} (${profile.overheadMs.toFixed(3)} ms subtracted).`;
}

export function renderOpsReportHtml(profile: PassProfile): string {
  const title = `msse ops: ${profile.pass}, B=${profile.batch}, T=${profile.frames}`;
  const families = profile.families
    .map((f) => `<tr><td><span class="sw" style="background:${familyColour(f.family)}"></span>${escapeXml(f.family)}</td><td>${f.calls}</td><td>${f.ms.toFixed(2)}</td><td>${(f.flops / 1e9).toFixed(3)}</td><td>${(f.bytes / 1e6).toFixed(1)}</td><td>${gflops(f.flops, f.ms)}</td><td>${gbps(f.bytes, f.ms)}</td></tr>`)
    .join('\n');
  const rows = profile.rows
    .map((r) => `<tr><td>${r.index}</td><td>${escapeXml(r.label)}</td><td class="shape">${escapeXml(r.shapes)}</td><td>${isDispatchRow(r) ? r.workgroups.join('×') : '–'}</td><td>${r.ms.toFixed(3)}</td><td>${(r.flops / 1e6).toFixed(2)}</td><td>${(r.bytes / 1e6).toFixed(2)}</td><td>${gflops(r.flops, r.ms)}</td><td>${gbps(r.bytes, r.ms)}</td></tr>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<style>body{font:14px sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}td:nth-child(2),td.shape{text-align:left}th{background:#f2f2f2}.sw{display:inline-block;width:10px;height:10px;margin-right:6px}.note{color:#555;max-width:60em}</style>
</head><body>
<h1>${escapeXml(title)}</h1>
<p class="note">${timingNote(profile)} FLOPs count a multiply-add as 2; bytes are compulsory traffic (each bound tensor read or written once).</p>
<h2>Timeline</h2>
${timelineSvg(profile)}
<h2>By op family</h2>
<table><tr><th>family</th><th>calls</th><th>ms</th><th>GFLOP</th><th>MB</th><th>GFLOP/s</th><th>GB/s</th></tr>
${families}
</table>
<h2>Every ${isWebGpuProfile(profile) ? 'dispatch' : 'kernel call'}, in order</h2>
<table><tr><th>#</th><th>kernel</th><th>shapes (inputs, then outputs)</th><th>workgroups</th><th>ms</th><th>MFLOP</th><th>MB</th><th>GFLOP/s</th><th>GB/s</th></tr>
${rows}
</table>
</body></html>
`;
}
