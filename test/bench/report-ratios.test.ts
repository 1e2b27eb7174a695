import { describe, expect, test } from 'vitest';
import type { BenchRow } from '../../bench/compare/index.ts';
import { fastestAgainstFastest, msseConfigsOf, ratioTo } from '../../bench/compare/report-markdown.ts';

// The report compares each row with every msse configuration, and per case and batch msse's fastest configuration
// with the fastest peer's, whichever thread count that is.
const row = (impl: BenchRow['impl'], threads: number | null, kase: BenchRow['case'], batch: number, mean: number | null): BenchRow => ({
  suite: 'quick',
  case: kase,
  impl,
  backend: impl === 'msse' && threads === null ? 'webgpu' : 'wasm',
  threads,
  batch,
  mean_ms: mean,
  p99_ms: mean,
  samples: mean === null ? 0 : 5,
  parity: null,
});

const rows: BenchRow[] = [
  row('msse', null, 'inference', 1, 10),
  row('msse', 1, 'inference', 1, 4),
  row('msse', 2, 'inference', 1, 3),
  row('ort-wasm', 1, 'inference', 1, 8),
  row('ort-wasm', 2, 'inference', 1, 6),
  row('tfjs-wasm', 1, 'inference', 1, 12),
  row('msse', 1, 'inference', 64, 200),
  row('msse', 2, 'inference', 64, 250),
  row('ort-wasm', 2, 'inference', 64, 300),
  row('msse', 2, 'training-step', 64, 900),
  row('ort-wasm', 1, 'training-step', 64, null),
];

describe('msse bench report', () => {
  test('names the fastest configuration on each side, per case and batch that both timed', () => {
    expect(fastestAgainstFastest(rows)).toEqual([
      'inference, batch 1: ort-wasm 2 threads 6.00 ms ÷ msse wasm 2 threads 3.00 ms = 2.00x',
      'inference, batch 64: ort-wasm 2 threads 300 ms ÷ msse wasm 1 thread 200 ms = 1.50x',
    ]);
  });

  test('has a ratio column per msse configuration, each matched by thread count', () => {
    expect(msseConfigsOf(rows)).toEqual(['msse webgpu', 'msse wasm 1 thread', 'msse wasm 2 threads']);
    const ort2 = rows[4]!;
    expect([ratioTo(rows, ort2, 'msse wasm 1 thread'), ratioTo(rows, ort2, 'msse wasm 2 threads')]).toEqual([1.5, 2]);
    expect(ratioTo(rows, rows[2]!, 'msse wasm 2 threads')).toBeUndefined();
  });
});
