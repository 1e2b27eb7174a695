/**
 * Small inline-SVG building blocks for msse's HTML reports: escaping, axis ticks and a line chart. Output is
 * markup text with no scripts, fonts or external references, so a report reads offline and in any browser.
 */

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for XML/HTML text and attribute values (both quote kinds escaped). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** A coordinate rounded to 0.1 px: enough for the screen, and keeps the markup short. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** Evenly spaced round tick values covering a range. */
export interface Ticks {
  /** The covered range, widened to whole steps. */
  readonly lo: number;
  readonly hi: number;
  readonly step: number;
  /** Decimals that print every tick exactly. */
  readonly decimals: number;
  readonly values: readonly number[];
}

/**
 * About `target` ticks with a step of 1, 2 or 5 times a power of ten (at least 1 with `integer`), covering
 * [lo, hi]; an empty range is widened by one step on each side.
 */
export function niceTicks(lo: number, hi: number, target = 5, integer = false): Ticks {
  const span = hi > lo ? hi - lo : Math.max(Math.abs(lo), 1);
  const rough = span / target;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const normalised = rough / magnitude;
  let step = (normalised < 1.5 ? 1 : normalised < 3 ? 2 : normalised < 7 ? 5 : 10) * magnitude;
  if (integer) step = Math.max(1, Math.round(step));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const first = Math.floor(lo / step + 1e-9);
  let last = Math.ceil(hi / step - 1e-9);
  if (last === first) last++;
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(Number((i * step).toFixed(decimals)));
  return { lo: values[0]!, hi: values[values.length - 1]!, step, decimals, values };
}

/** One line of a chart. */
export interface ChartSeries {
  readonly name: string;
  /** A CSS colour. */
  readonly color: string;
  /** (x, y) points in x order; non-finite values are left out. */
  readonly points: readonly (readonly [number, number])[];
  /** Stroke width in px (default 1.5). */
  readonly widthPx?: number;
}

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  /** A fixed y range (e.g. [0, 1] for accuracies); by default the data's range, widened to round ticks. */
  readonly yDomain?: readonly [number, number];
  /** Tick label of a y value (default: the value with the ticks' decimals). */
  readonly formatY?: (value: number, ticks: Ticks) => string;
  /** Whether x ticks are whole numbers (epochs). */
  readonly integerX?: boolean;
  readonly widthPx?: number;
  readonly heightPx?: number;
}

/** Margins around the plot area, in px: room for the title, tick labels and axis names. */
const MARGIN = { left: 58, right: 14, top: 30, bottom: 46 } as const;

/** A line chart with a title, x and y axes, ticks, grid lines and one polyline per series (each with a tooltip). */
export function lineChartSvg(options: LineChartOptions): string {
  const widthPx = options.widthPx ?? 440;
  const heightPx = options.heightPx ?? 280;
  const series = options.series.map((s) => ({ ...s, points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)) }));
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const ys = series.flatMap((s) => s.points.map(([, y]) => y));
  const xTicks = niceTicks(xs.length > 0 ? Math.min(...xs) : 0, xs.length > 0 ? Math.max(...xs) : 1, 6, options.integerX ?? false);
  const yTicks = options.yDomain
    ? niceTicks(options.yDomain[0], options.yDomain[1], 5)
    : niceTicks(ys.length > 0 ? Math.min(...ys) : 0, ys.length > 0 ? Math.max(...ys) : 1, 5);
  const left = MARGIN.left;
  const right = widthPx - MARGIN.right;
  const top = MARGIN.top;
  const bottom = heightPx - MARGIN.bottom;
  const x = (v: number): number => left + ((v - xTicks.lo) / (xTicks.hi - xTicks.lo)) * (right - left);
  const y = (v: number): number => bottom - ((v - yTicks.lo) / (yTicks.hi - yTicks.lo)) * (bottom - top);
  const formatY = options.formatY ?? ((v: number, t: Ticks) => v.toFixed(t.decimals));

  const parts: string[] = [];
  parts.push(`<svg class="chart" width="${widthPx}" height="${heightPx}" viewBox="0 0 ${widthPx} ${heightPx}" role="img" aria-label="${escapeXml(options.title)}">`);
  parts.push(`<title>${escapeXml(options.title)}</title>`);
  parts.push(`<text class="chart-title" x="${px(left)}" y="18">${escapeXml(options.title)}</text>`);
  for (const v of yTicks.values) {
    parts.push(`<line class="grid" x1="${px(left)}" x2="${px(right)}" y1="${px(y(v))}" y2="${px(y(v))}"/>`);
    parts.push(`<text class="tick" x="${px(left - 6)}" y="${px(y(v) + 4)}" text-anchor="end">${escapeXml(formatY(v, yTicks))}</text>`);
  }
  for (const v of xTicks.values) {
    parts.push(`<line class="tick-mark" x1="${px(x(v))}" x2="${px(x(v))}" y1="${px(bottom)}" y2="${px(bottom + 5)}"/>`);
    parts.push(`<text class="tick" x="${px(x(v))}" y="${px(bottom + 18)}" text-anchor="middle">${v.toFixed(xTicks.decimals)}</text>`);
  }
  parts.push(`<path class="axis" d="M${px(left)} ${px(top)}V${px(bottom)}H${px(right)}"/>`);
  parts.push(`<text class="axis-label" x="${px((left + right) / 2)}" y="${px(heightPx - 8)}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  parts.push(
    `<text class="axis-label" transform="translate(14 ${px((top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  );
  for (const s of series) {
    const stroke = `stroke="${escapeXml(s.color)}" stroke-width="${s.widthPx ?? 1.5}"`;
    const tooltip = `<title>${escapeXml(s.name)}</title>`;
    if (s.points.length === 1) {
      const [only, value] = s.points[0]!;
      parts.push(`<circle cx="${px(x(only))}" cy="${px(y(value))}" r="3" fill="${escapeXml(s.color)}">${tooltip}</circle>`);
    } else if (s.points.length > 1) {
      const coordinates = s.points.map(([vx, vy]) => `${px(x(vx))},${px(y(vy))}`).join(' ');
      parts.push(`<polyline class="series" fill="none" ${stroke} points="${coordinates}">${tooltip}</polyline>`);
    }
  }
  parts.push('</svg>');
  return parts.join('\n');
}
