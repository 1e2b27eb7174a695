import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { FormatError } from '../../src/errors.ts';
import { mergeCvReports, parseCvReport } from '../../src/train/cv-report.ts';
import { mulberry32 } from '../support/prng.ts';
import { repoRoot } from '../support/paths.ts';

/**
 * Seeded fuzz of cv report parsing (what `cv --merge` and `train --cv-report` read): the shipped 10-fold report
 * with values replaced anywhere in its JSON tree, or its text cut or damaged, either parses to a report whose every
 * score is a fraction in [0, 1] and whose folds are distinct and within config.folds, or gives one FormatError
 * line naming the file. No round may take a second.
 */
const FILE = 'fuzz.json';
const text = readFileSync(join(repoRoot, 'reports', 'emodb-10fold.json'), 'utf8');
const original = JSON.parse(text) as unknown;

test('mutated cv reports parse to valid reports or give one FormatError line naming the file', () => {
  const random = mulberry32(46);
  const below = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[below(items.length)]!;
  const odd = [7, -1, 1.5, 0, 1, 0.5, 1e308, -0, 2 ** 53, null, '0.5', [], {}, true, 'fold', 11, 3];
  /** Replaces one value somewhere in the tree (walking down a random path). */
  const replaceSomewhere = (root: unknown): unknown => {
    const copy = structuredClone(root) as Record<string, unknown>;
    let node: Record<string, unknown> | unknown[] = copy;
    for (let depth = 0; depth < 8; depth++) {
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const key = pick(keys);
      const child = (node as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object' && random() < 0.8) {
        node = child as Record<string, unknown>;
        continue;
      }
      if (Array.isArray(node) && random() < 0.2) node.splice(Number(key), 1);
      else (node as Record<string, unknown>)[key] = pick(odd);
      break;
    }
    return copy;
  };
  const outcomes = { parsed: 0, refused: 0 };
  for (let round = 0; round < 600; round++) {
    let json = original;
    for (let steps = 1 + below(2); steps > 0; steps--) json = replaceSomewhere(json);
    let candidate = JSON.stringify(json);
    if (random() < 0.15) candidate = candidate.slice(0, below(candidate.length));
    const started = performance.now();
    try {
      const report = parseCvReport(candidate, FILE);
      const folds = Number(report.config['folds']);
      expect(new Set(report.folds.map((f) => f.fold)).size).toBe(report.folds.length);
      for (const f of report.folds) {
        expect(f.fold >= 1 && f.fold <= folds, `round ${round}`).toBe(true);
        for (const x of [f.last.uar, f.last.war, f.best.uar, f.best.war]) expect(x >= 0 && x <= 1, `round ${round}`).toBe(true);
      }
      mergeCvReports([report], [FILE]);
      outcomes.parsed++;
    } catch (error) {
      if (!(error instanceof FormatError)) throw new Error(`round ${round}: ${String(error)}`, { cause: error });
      expect(error.message, `round ${round}`).not.toContain('\n');
      outcomes.refused++;
    }
    expect(performance.now() - started, `round ${round}`).toBeLessThan(1000);
  }
  expect(outcomes.parsed).toBeGreaterThan(10);
  expect(outcomes.refused).toBeGreaterThan(100);
});
