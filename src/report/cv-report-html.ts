/**
 * The cross-validation report as one self-contained HTML page: inline CSS and SVG, no scripts, no fonts, no
 * links to anything, so it opens offline, mails as one file and prints. Deterministic: the same report renders
 * byte-identical HTML (no timestamps), so two runs can be diffed.
 */
import type { CvReport, EpochPoint, FoldResult } from '../train/cv-report.ts';
import type { ConfusionMatrix } from '../train/metrics.ts';
import { escapeXml, lineChartSvg, px, type ChartSeries } from './svg.ts';

/** Tableau 10: distinguishable, colour-blind-aware; fold k gets colour (k - 1) mod 10. */
const FOLD_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const MEAN_COLOR = '#222';

/** A fraction in [0, 1] as a percentage with two decimals, the precision the papers' tables use. */
function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

/**
 * The whole report page: scores table, pooled confusion matrix, learning curves, configuration. A numeric
 * `config.folds` larger than the folds present marks the report as partial in the overview line.
 */
export function renderCvReportHtml(report: CvReport): string {
  const title = 'msse cross-validation report';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${title}</h1>
<p class="lede">${escapeXml(overviewLine(report))}</p>
<h2>Scores</h2>
${summaryTable(report)}
<p class="note"><b>Last epoch</b> scores the model after its final epoch: nothing was chosen by looking at the test fold, so it is the honest estimate.
<b>Best epoch</b> picks, per fold, the epoch with the highest test WAR (first on ties), as TIM-Net and MS-SENet report; it selects on the test data and is optimistic, shown only to compare with the papers.
UAR is the mean recall over the classes present in the test fold; WAR is accuracy. <b>Pooled</b> scores the summed confusion matrix, which weights folds by size.</p>
<h2>Confusion matrix</h2>
<p class="note">Last epoch, summed over the folds. Rows: true class; columns: predicted class. Each cell: count, and percent of its row (the diagonal is each class's recall).</p>
${confusionSvg(report.summary.last_pooled.confusion, report.labels)}
<h2>Learning curves</h2>
${curvesSection(report.folds)}
<h2>Configuration</h2>
${configTable(report.config)}
</body>
</html>
`;
}

/** "3 folds (1, 2, 3 of 10) · 535 test samples · 7 classes: anger, …". */
function overviewLine(report: CvReport): string {
  const planned = report.config['folds'];
  const foldNumbers = report.folds.map((f) => f.fold).join(', ');
  const which = typeof planned === 'number' && planned !== report.folds.length ? ` (${foldNumbers} of ${planned}: partial)` : '';
  const samples = report.folds.reduce((sum, f) => sum + f.n_test, 0);
  const folds = `${report.folds.length} fold${report.folds.length === 1 ? '' : 's'}`;
  return `${folds}${which} · ${samples} test samples · ${report.labels.length} classes: ${report.labels.join(', ')}`;
}

function summaryTable(report: CvReport): string {
  const { summary } = report;
  const foldRows = report.folds.map(
    (f) =>
      `<tr><th scope="row">fold ${f.fold}</th><td>${f.n_test}</td><td>${percent(f.last.uar)}</td><td>${percent(f.last.war)}</td>` +
      `<td class="paper">${f.best.epoch}</td><td class="paper">${percent(f.best.uar)}</td><td class="paper">${percent(f.best.war)}</td></tr>`,
  );
  const total = report.folds.reduce((sum, f) => sum + f.n_test, 0);
  return `<table class="scores">
<thead>
<tr><th rowspan="2"></th><th rowspan="2">test n</th><th colspan="2">last epoch (honest)</th><th colspan="3" class="paper">best epoch on the test fold (paper-style, for comparison only)</th></tr>
<tr><th>UAR</th><th>WAR</th><th class="paper">epoch</th><th class="paper">UAR</th><th class="paper">WAR</th></tr>
</thead>
<tbody>
${foldRows.join('\n')}
</tbody>
<tfoot>
<tr><th scope="row">mean over folds</th><td>${total}</td><td>${percent(summary.last.uar)}</td><td>${percent(summary.last.war)}</td><td class="paper">–</td><td class="paper">${percent(summary.best.uar)}</td><td class="paper">${percent(summary.best.war)}</td></tr>
<tr><th scope="row">pooled (summed confusion)</th><td>${total}</td><td>${percent(summary.last_pooled.uar)}</td><td>${percent(summary.last_pooled.war)}</td><td class="paper" colspan="3">–</td></tr>
</tfoot>
</table>`;
}

/** Approximate width of `text` in px at the 12 px sans-serif the SVG uses: enough to lay out labels. */
function textWidthPx(text: string): number {
  return text.length * 7;
}

/** Cell colour for a row fraction: white to dark blue, linear in sRGB. */
function cellColor(fraction: number): string {
  const from = [247, 251, 255];
  const to = [8, 69, 148];
  const mix = from.map((c, i) => Math.round(c + (to[i]! - c) * fraction));
  return `rgb(${mix.join(',')})`;
}

/**
 * The confusion matrix as a grid: cell colour by row-normalised fraction, the count and the row percentage in
 * each cell, class names on both axes, row totals at the right. Column names are rotated when they do not fit a cell.
 */
export function confusionSvg(confusion: ConfusionMatrix, labels: readonly string[]): string {
  const n = labels.length;
  const labelPx = Math.max(...labels.map(textWidthPx), 1);
  const cellPx = Math.min(Math.max(labelPx + 12, 56), 84);
  const rotated = labelPx + 12 > cellPx;
  const headerPx = rotated ? labelPx + 12 : 20;
  const left = 28 + labelPx + 10;
  const top = 26 + headerPx;
  const supportPx = 52;
  const widthPx = left + n * cellPx + supportPx;
  const heightPx = top + n * cellPx + 10;
  const parts: string[] = [];
  parts.push(`<svg class="confusion" width="${widthPx}" height="${heightPx}" viewBox="0 0 ${widthPx} ${heightPx}" role="img" aria-label="confusion matrix">`);
  parts.push('<title>confusion matrix: rows true class, columns predicted class</title>');
  parts.push(`<text class="axis-label" x="${px(left + (n * cellPx) / 2)}" y="16" text-anchor="middle">predicted</text>`);
  parts.push(`<text class="axis-label" transform="translate(16 ${px(top + (n * cellPx) / 2)}) rotate(-90)" text-anchor="middle">true</text>`);
  parts.push(`<text class="axis-label" x="${px(left + n * cellPx + supportPx / 2)}" y="${px(top - 6)}" text-anchor="middle">n</text>`);
  labels.forEach((label, j) => {
    const cx = left + j * cellPx + cellPx / 2;
    const text = escapeXml(label);
    parts.push(
      rotated
        ? `<text class="label" transform="translate(${px(cx + 4)} ${px(top - 6)}) rotate(-90)">${text}</text>`
        : `<text class="label" x="${px(cx)}" y="${px(top - 6)}" text-anchor="middle">${text}</text>`,
    );
  });
  confusion.forEach((row, t) => {
    const support = row.reduce((a, b) => a + b, 0);
    const rowY = top + t * cellPx;
    parts.push(`<text class="label" x="${px(left - 8)}" y="${px(rowY + cellPx / 2 + 4)}" text-anchor="end">${escapeXml(labels[t]!)}</text>`);
    parts.push(`<text class="support" x="${px(left + n * cellPx + supportPx / 2)}" y="${px(rowY + cellPx / 2 + 4)}" text-anchor="middle">${support}</text>`);
    row.forEach((count, p) => {
      const fraction = support === 0 ? 0 : count / support;
      const x = left + p * cellPx;
      const ink = fraction > 0.5 ? ' on-dark' : '';
      const diagonal = t === p ? ' diagonal' : '';
      parts.push(`<g><title>true ${escapeXml(labels[t]!)}, predicted ${escapeXml(labels[p]!)}: ${count} of ${support}</title>`);
      parts.push(`<rect class="cell${diagonal}" x="${px(x)}" y="${px(rowY)}" width="${cellPx}" height="${cellPx}" fill="${cellColor(fraction)}"/>`);
      parts.push(`<text class="count${ink}" x="${px(x + cellPx / 2)}" y="${px(rowY + cellPx / 2 + 1)}" text-anchor="middle">${count}</text>`);
      const share = support === 0 ? '–' : `${(fraction * 100).toFixed(1)}%`;
      parts.push(`<text class="share${ink}" x="${px(x + cellPx / 2)}" y="${px(rowY + cellPx / 2 + 16)}" text-anchor="middle">${share}</text></g>`);
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** The four learning-curve charts (one line per fold, plus their mean) and a shared legend. */
function curvesSection(folds: readonly FoldResult[]): string {
  const color = (f: FoldResult): string => FOLD_COLORS[(f.fold - 1) % FOLD_COLORS.length]!;
  const chart = (title: string, yLabel: string, pick: (p: EpochPoint) => number, asPercent: boolean): string => {
    const series: ChartSeries[] = folds.map((f) => ({ name: `fold ${f.fold}`, color: color(f), points: f.curve.map((p) => [p.epoch, pick(p)] as const) }));
    if (folds.length > 1) series.push({ name: 'mean over folds', color: MEAN_COLOR, widthPx: 2.5, points: meanCurve(folds, pick) });
    return lineChartSvg({
      title,
      xLabel: 'epoch',
      yLabel,
      series,
      integerX: true,
      ...(asPercent ? { yDomain: [0, 1] as const, formatY: (v: number) => `${Math.round(v * 100)}%` } : {}),
    });
  };
  const legend = folds.map((f) => `<span class="key"><span class="swatch" style="background:${color(f)}"></span>fold ${f.fold}</span>`);
  if (folds.length > 1) legend.push(`<span class="key"><span class="swatch mean" style="background:${MEAN_COLOR}"></span>mean over folds</span>`);
  return `<p class="legend">${legend.join(' ')}</p>
<div class="charts">
${chart('Training loss', 'loss', (p) => p.train_loss, false)}
${chart('Training accuracy', 'accuracy', (p) => p.train_acc, true)}
${chart('Test UAR', 'UAR', (p) => p.test_uar, true)}
${chart('Test WAR (accuracy)', 'WAR', (p) => p.test_war, true)}
</div>`;
}

/** Per epoch, the mean of `pick` over the folds that reached that epoch. */
function meanCurve(folds: readonly FoldResult[], pick: (p: EpochPoint) => number): [number, number][] {
  const sums = new Map<number, { sum: number; count: number }>();
  for (const f of folds) {
    for (const p of f.curve) {
      const s = sums.get(p.epoch) ?? { sum: 0, count: 0 };
      s.sum += pick(p);
      s.count++;
      sums.set(p.epoch, s);
    }
  }
  return [...sums.entries()].sort(([a], [b]) => a - b).map(([epoch, s]) => [epoch, s.sum / s.count]);
}

function configTable(config: Record<string, unknown>): string {
  const rows = Object.entries(config).map(([key, value]) => {
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    return `<tr><th scope="row">${escapeXml(key)}</th><td><code>${escapeXml(shown ?? 'undefined')}</code></td></tr>`;
  });
  return rows.length === 0 ? '<p class="note">(empty)</p>' : `<table class="config">\n${rows.join('\n')}\n</table>`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; max-width: 1120px; margin: 24px auto; padding: 0 20px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.lede { color: #555; margin: 0 0 12px; }
.note { color: #444; font-size: 13px; max-width: 900px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d6d6d6; padding: 4px 10px; }
td { text-align: right; }
thead th { background: #f3f3f3; font-weight: 600; }
tbody th, tfoot th { text-align: left; font-weight: normal; }
tfoot th, tfoot td { background: #fafafa; font-weight: 600; }
.paper { color: #666; background: #fbfaf5; }
thead th.paper { background: #f4f1e6; font-weight: normal; }
.config td { text-align: left; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 12px; fill: #222; }
svg .chart-title { font-size: 13px; font-weight: 600; }
svg .axis-label { font-size: 12px; fill: #444; }
svg .tick { font-size: 11px; fill: #555; }
svg .grid { stroke: #e6e6e6; stroke-width: 1; }
svg .axis, svg .tick-mark { stroke: #777; stroke-width: 1; fill: none; }
svg .series { stroke-linejoin: round; stroke-linecap: round; }
svg .cell { stroke: #fff; stroke-width: 1; }
svg .cell.diagonal { stroke: #333; stroke-width: 1.5; }
svg .count { font-size: 14px; font-weight: 600; }
svg .share { font-size: 10px; }
svg .on-dark { fill: #fff; }
svg .support { fill: #555; }
.charts { display: flex; flex-wrap: wrap; gap: 12px 20px; }
.legend { font-size: 13px; }
.key { display: inline-block; margin-right: 14px; white-space: nowrap; }
.swatch { display: inline-block; width: 18px; height: 3px; vertical-align: middle; margin-right: 5px; }
.swatch.mean { height: 4px; }
`;
