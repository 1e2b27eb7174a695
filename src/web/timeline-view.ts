import type { WindowResult } from '../api/types.ts';

/** Every result of the current input, one line per class: probability against the time its window ended. */
export interface TimelineView {
  add(result: WindowResult): void;
  clear(): void;
}

const SVG = 'http://www.w3.org/2000/svg';
/** The SVG's viewBox (index.html) and the plot inside it; the left and bottom margins hold the axis labels. */
const WIDTH = 600;
const HEIGHT = 200;
const PLOT = { left: 28, right: WIDTH - 8, top: 8, bottom: HEIGHT - 22 };

/**
 * Draws into `svg` (data-msse="timeline"), which carries data-points, the number of results it holds, and fills
 * `legend` with the class colours. The time axis runs from 0 to the latest window's end, at least `minSeconds`
 * (one window), so the first results do not fill the width.
 */
export function createTimelineView(svg: SVGSVGElement, legend: HTMLElement, labels: readonly string[], minSeconds: number): TimelineView {
  const points: WindowResult[] = [];
  legend.replaceChildren(
    ...labels.map((label, k) => {
      const item = document.createElement('li');
      item.className = `k${k}`;
      item.textContent = label;
      return item;
    }),
  );

  const render = (): void => {
    svg.dataset.points = String(points.length);
    const last = points.at(-1);
    const spanSeconds = Math.max(minSeconds, last?.endSeconds ?? 0);
    const x = (seconds: number): number => PLOT.left + ((PLOT.right - PLOT.left) * seconds) / spanSeconds;
    const y = (p: number): number => PLOT.bottom - (PLOT.bottom - PLOT.top) * p;
    const children: SVGElement[] = [
      element('line', { class: 'axis', x1: PLOT.left, y1: PLOT.bottom, x2: PLOT.right, y2: PLOT.bottom }),
      element('line', { class: 'axis', x1: PLOT.left, y1: PLOT.top, x2: PLOT.left, y2: PLOT.bottom }),
      text('1', PLOT.left - 6, PLOT.top + 4, 'end'),
      text('0', PLOT.left - 6, PLOT.bottom, 'end'),
      text('0 s', PLOT.left, HEIGHT - 6, 'start'),
      text(`${spanSeconds.toFixed(1)} s`, PLOT.right, HEIGHT - 6, 'end'),
    ];
    labels.forEach((label, k) => {
      const coords = points.map((r) => `${x(r.endSeconds).toFixed(1)},${y(r.probs[label] ?? 0).toFixed(1)}`);
      // A single result has no line to draw: a short stroke marks it instead.
      if (coords.length === 1) coords.push(`${(x(last!.endSeconds) - 4).toFixed(1)},${y(last!.probs[label] ?? 0).toFixed(1)}`);
      if (coords.length > 0) children.push(element('polyline', { class: `k${k}`, points: coords.join(' ') }));
    });
    svg.replaceChildren(...children);
    svg.setAttribute(
      'aria-label',
      last === undefined ? 'No results yet' : `${points.length} results over ${last.endSeconds.toFixed(1)} s; the latest is ${last.label}`,
    );
  };
  render();

  return {
    add(result) {
      points.push(result);
      render();
    },
    clear() {
      points.length = 0;
      render();
    },
  };
}

function element(name: string, attributes: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

function text(content: string, x: number, y: number, anchor: 'start' | 'end'): SVGElement {
  const node = element('text', { x, y, 'text-anchor': anchor });
  node.textContent = content;
  return node;
}
