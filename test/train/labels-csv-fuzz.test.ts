import { expect, test } from 'vitest';
import { FormatError } from '../../src/errors.ts';
import { parseLabelsCsv } from '../../src/train/labels-csv.ts';
import { mulberry32 } from '../support/prng.ts';

/**
 * Seeded fuzz of labels.csv parsing: a real-looking file with characters inserted, deleted and replaced (quotes,
 * commas, line ends, a BOM) either parses to rows of a non-empty file and label, or gives one FormatError line
 * naming the file. No round may take a second.
 */
const FILE = '/data/labels.csv';
const original = ['file,label,speaker', '03a01Wa.wav,anger,03', '"a, b.wav",neutral,', 'c.wav,"say ""hi""",09', 'd.wav,fear', ''].join('\r\n');

test('mutated labels.csv parses or gives one FormatError line naming the file', () => {
  const random = mulberry32(95);
  const below = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[below(items.length)]!;
  const pieces = ['"', ',', '\n', '\r\n', '\r', '""', '\uFEFF', ' ', 'x.wav', '', '\t', ',,,,', '"\n"'];
  const mutations: ((text: string) => string)[] = [
    (t) => { const at = below(t.length + 1); return t.slice(0, at) + pick(pieces) + t.slice(at); },
    (t) => { const at = below(t.length + 1); return t.slice(0, at) + t.slice(at + 1 + below(8)); },
    (t) => { const at = below(t.length); return t.slice(0, at) + pick(pieces) + t.slice(at + 1); },
    (t) => t.slice(0, below(t.length + 1)),
    (t) => t.repeat(1 + below(3)),
  ];
  const outcomes = { parsed: 0, refused: 0 };
  for (let round = 0; round < 3000; round++) {
    let text = original;
    for (let steps = 1 + below(4); steps > 0; steps--) text = pick(mutations)(text);
    const started = performance.now();
    try {
      for (const row of parseLabelsCsv(text, FILE)) {
        expect(row.file, `round ${round}`).not.toBe('');
        expect(row.label.trim(), `round ${round}`).not.toBe('');
        expect(row.line, `round ${round}`).toBeGreaterThan(0);
      }
      outcomes.parsed++;
    } catch (error) {
      if (!(error instanceof FormatError)) throw new Error(`round ${round}: ${String(error)}`, { cause: error });
      expect(error.file).toBe(FILE);
      expect(error.message, `round ${round}`).not.toMatch(/[\r\n]/);
      outcomes.refused++;
    }
    expect(performance.now() - started, `round ${round}`).toBeLessThan(1000);
  }
  expect(outcomes.parsed).toBeGreaterThan(100);
  expect(outcomes.refused).toBeGreaterThan(100);
});
