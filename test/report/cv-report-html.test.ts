import { describe, expect, test } from 'vitest';
import { confusionSvg, renderCvReportHtml } from '../../src/report/cv-report-html.ts';
import { escapeXml, lineChartSvg, niceTicks } from '../../src/report/svg.ts';
import { buildCvReport, makeFoldResult, type EpochPoint } from '../../src/train/cv-report.ts';
import { CounterRng } from '../../src/train/rng.ts';

const LABELS = ['anger', 'boredom', 'disgust', 'fear', 'happiness', 'sadness', '<b>"odd" & \'new\'</b>'];

/** A synthetic 3-fold, 40-epoch report: curves that rise with noise, confusions mostly diagonal. */
function syntheticReport() {
  const folds = [1, 2, 3].map((fold) => {
    const rng = new CounterRng(7, fold);
    const noise = (): number => (rng.nextBelow(1000) / 1000 - 0.5) * 0.08;
    const curve: EpochPoint[] = Array.from({ length: 40 }, (_, i) => {
      const progress = 1 - Math.exp(-(i + 1) / 10);
      return {
        epoch: i + 1,
        train_loss: 1.9 - 1.3 * progress + noise() / 2,
        train_acc: 0.15 + 0.8 * progress + noise() / 4,
        test_uar: 0.14 + 0.68 * progress + noise(),
        test_war: 0.15 + 0.7 * progress + noise(),
      };
    });
    const confusion = LABELS.map((_, t) => LABELS.map((_, p) => (t === p ? 5 + ((t + fold) % 3) : (t + 2 * p + fold) % 4 === 0 ? 1 : 0)));
    return makeFoldResult(fold, confusion, curve);
  });
  return buildCvReport({ data: '/data/emodb', folds: 3, seed: 46, epochs: 40, note: 'a<b' }, LABELS, folds);
}

const count = (text: string, pattern: RegExp): number => (text.match(pattern) ?? []).length;

describe('renderCvReportHtml', () => {
  const report = syntheticReport();
  const html = renderCvReportHtml(report);

  test('one self-contained page: no scripts, no links, no external resources', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import|https?:/i);
    expect(html).toContain('<style>');
  });

  test('the summary table labels the honest and the paper-style scores and formats them as percentages', () => {
    expect(html).toContain('last epoch (honest)');
    expect(html).toContain('best epoch on the test fold (paper-style, for comparison only)');
    for (const fold of report.folds) {
      expect(html).toContain(`<th scope="row">fold ${fold.fold}</th><td>${fold.n_test}</td><td>${(fold.last.uar * 100).toFixed(2)}%</td>`);
    }
    expect(html).toContain(`<th scope="row">mean over folds</th><td>${report.folds.reduce((s, f) => s + f.n_test, 0)}</td><td>${(report.summary.last.uar * 100).toFixed(2)}%</td>`);
    expect(html).toContain(`<th scope="row">pooled (summed confusion)</th>`);
    expect(html).toContain(`${(report.summary.last_pooled.war * 100).toFixed(2)}%`);
  });

  test('a confusion grid and four learning-curve charts, one line per fold plus the mean', () => {
    expect(count(html, /<svg /g)).toBe(5);
    expect(count(html, /<\/svg>/g)).toBe(5);
    expect(count(html, /<rect class="cell/g)).toBe(49);
    expect(count(html, /<rect class="cell diagonal"/g)).toBe(7);
    expect(count(html, /<polyline /g)).toBe(4 * 4);
    for (const title of ['Training loss', 'Training accuracy', 'Test UAR', 'Test WAR (accuracy)']) expect(html).toContain(`>${title}</text>`);
  });

  test('label text and config values are escaped everywhere', () => {
    expect(html).not.toContain('<b>"odd"');
    expect(html).toContain('&lt;b&gt;&quot;odd&quot; &amp; &#39;new&#39;&lt;/b&gt;');
    expect(html).toContain('<code>a&lt;b</code>');
    for (const label of LABELS.slice(0, 6)) expect(html).toContain(`>${label}</text>`);
  });

  test('the overview line counts folds and samples, and marks a partial run', () => {
    expect(html).toContain('<p class="lede">3 folds · ');
    const partial = renderCvReportHtml({ ...report, config: { ...report.config, folds: 10 } });
    expect(partial).toContain('<p class="lede">3 folds (1, 2, 3 of 10: partial) · ');
    const one = renderCvReportHtml({ ...report, config: { ...report.config, folds: 10 }, folds: report.folds.slice(0, 1) });
    expect(one).toContain('<p class="lede">1 fold (1 of 10: partial) · ');
  });

  test('the same report renders byte-identical HTML', () => {
    expect(renderCvReportHtml(syntheticReport())).toBe(html);
  });
});

describe('confusionSvg', () => {
  test('each cell shows its count and its row percentage; an empty row shows dashes', () => {
    const svg = confusionSvg([[3, 1], [0, 0]], ['x', 'y']);
    expect(svg).toContain('>3</text>');
    expect(svg).toContain('>75.0%</text>');
    expect(svg).toContain('>25.0%</text>');
    expect(count(svg, />–<\/text>/g)).toBe(2);
    expect(svg).toContain('<title>true x, predicted y: 1 of 4</title>');
  });

  test('long labels rotate the column names instead of overflowing the cells', () => {
    expect(confusionSvg([[1]], ['short'])).not.toContain('rotate(-90)">short');
    expect(confusionSvg([[1]], ['a much longer label'])).toContain('rotate(-90)">a much longer label');
  });
});

describe('svg helpers', () => {
  test.each([
    { lo: 0, hi: 1, target: 5, integer: false, values: [0, 0.2, 0.4, 0.6, 0.8, 1] },
    { lo: 0.37, hi: 2.41, target: 5, integer: false, values: [0, 0.5, 1, 1.5, 2, 2.5] },
    { lo: 1, hi: 40, target: 6, integer: true, values: [0, 5, 10, 15, 20, 25, 30, 35, 40] },
    { lo: 1, hi: 500, target: 6, integer: true, values: [0, 100, 200, 300, 400, 500] },
    { lo: 1, hi: 3, target: 6, integer: true, values: [1, 2, 3] },
    { lo: 1, hi: 1, target: 6, integer: true, values: [1, 2] },
    { lo: 0.0012, hi: 0.0031, target: 5, integer: false, values: [0.001, 0.0015, 0.002, 0.0025, 0.003, 0.0035] },
  ])('niceTicks($lo, $hi) = $values', ({ lo, hi, target, integer, values }) => {
    expect(niceTicks(lo, hi, target, integer).values).toEqual(values);
  });

  test('escapeXml escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  test('lineChartSvg maps data to the plot area: y = 0 on the x axis, the top tick at the top margin', () => {
    const svg = lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', color: '#000', points: [[0, 0], [10, 1]] }], yDomain: [0, 1], widthPx: 440, heightPx: 280 });
    // plot area: x 58..426, y 30..234
    expect(svg).toContain('points="58,234 426,30"');
    expect(svg).toContain('<title>s</title>');
  });

  test('a one-point series is drawn as a dot; non-finite points are left out', () => {
    const svg = lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', color: 'red', points: [[1, 0.5], [2, Number.NaN]] }], yDomain: [0, 1] });
    expect(svg).toContain('<circle ');
    expect(svg).not.toContain('NaN');
  });
});
