import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { benchCommand } from '../../src/cli/bench.ts';
import { commands } from '../../src/cli/commands.ts';
import { PARITY_TOLERANCE, type BenchRow } from '../../bench/compare/index.ts';
import { importPeer, type PeerPackage } from '../../bench/peers/load-peer.ts';
import { MsseError } from '../../src/errors.ts';
import { runMsse } from '../support/cli.ts';
import { repoRoot } from '../support/paths.ts';

// A smoke test of `msse bench --quick`: the rows' form, and that msse and both peers ran with parity. Timings are
// whatever this machine gives: no thresholds.
const dir = mkdtempSync(join(tmpdir(), 'msse-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEYS = ['suite', 'case', 'impl', 'backend', 'threads', 'batch', 'mean_ms', 'p99_ms', 'samples', 'parity'];

describe('msse bench --quick --json OUT --html OUT', () => {
  let status: number | null;
  let stdout: string;
  let stderr: string;
  let rows: BenchRow[];
  beforeAll(() => {
    // --quick runs in under two minutes on the 2-core machine; the limit here only catches a hang.
    const run = spawnSync(process.execPath, [join(repoRoot, 'bin', 'msse.js'), 'bench', '--quick', '--json', join(dir, 'rows.json'), '--html', join(dir, 'report.html')], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 400_000,
    });
    ({ status, stdout, stderr } = run);
    rows = status === 0 ? (JSON.parse(readFileSync(join(dir, 'rows.json'), 'utf8')) as BenchRow[]) : [];
  }, 420_000);

  test('exits 0 and prints the table', () => {
    expect(stderr.split('\n').filter((l) => l.startsWith('msse:'))).toEqual([]);
    expect(status).toBe(0);
    expect(stdout).toContain('| case | batch | implementation | mean ms | p99 ms | samples | parity |');
    expect(stdout).toMatch(/^- inference, batch 64: .+ ms ÷ msse .+ ms = \d+\.\d\dx$/m);
    expect(stdout).toContain(`wrote ${join(dir, 'rows.json')}`);
  });

  test('every row has the documented fields and types', () => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const keys = Object.keys(row);
      expect(keys.slice(0, KEYS.length)).toEqual(KEYS);
      expect(keys.slice(KEYS.length).every((k) => k === 'note')).toBe(true);
      expect(row.suite).toBe('quick');
      expect(['inference', 'end-to-end', 'training-step', 'mfcc', 'cold-start']).toContain(row.case);
      expect(['msse', 'ort-wasm', 'tfjs-wasm']).toContain(row.impl);
      expect(row.threads === null || Number.isInteger(row.threads)).toBe(true);
      expect(Number.isInteger(row.batch) && row.batch >= 1).toBe(true);
      if (row.mean_ms === null) {
        expect([row.p99_ms, row.samples, typeof row.note]).toEqual([null, 0, 'string']);
      } else {
        expect(row.mean_ms).toBeGreaterThan(0);
        expect(row.p99_ms).toBeGreaterThan(0);
        expect(row.samples).toBeGreaterThan(0);
      }
      expect(row.parity === null || (typeof row.parity === 'number' && row.parity >= 0)).toBe(true);
    }
  });

  test.each([
    { impl: 'msse', backend: 'webgpu', threads: null },
    { impl: 'msse', backend: 'wasm', threads: 1 },
    { impl: 'msse', backend: 'wasm', threads: 2 },
    { impl: 'ort-wasm', backend: 'wasm', threads: 1 },
    { impl: 'ort-wasm', backend: 'wasm', threads: 2 },
    { impl: 'tfjs-wasm', backend: 'wasm', threads: 1 },
  ])('$impl on $backend, $threads threads: inference at batch 1 and 64 and end-to-end, timed, with parity', (spec) => {
    for (const [kase, batch] of [
      ['inference', 1],
      ['inference', 64],
      ['end-to-end', 1],
    ] as const) {
      const row = rows.find((r) => r.impl === spec.impl && r.backend === spec.backend && r.threads === spec.threads && r.case === kase && r.batch === batch);
      expect(row, `${kase} B=${batch}`).toBeDefined();
      expect(row!.parity).toBeLessThanOrEqual(PARITY_TOLERANCE);
      expect(row!.mean_ms).not.toBeNull();
    }
  });

  test('msse times a training step, mfcc and a cold start on each backend', () => {
    expect(rows.find((r) => r.case === 'training-step' && r.impl === 'msse' && r.backend === 'webgpu')?.mean_ms).toBeGreaterThan(0);
    expect(rows.find((r) => r.case === 'mfcc' && r.impl === 'msse')?.parity).toBeLessThan(1e-4);
    for (const backend of ['webgpu', 'wasm']) {
      expect(rows.find((r) => r.case === 'cold-start' && r.impl === 'msse' && r.backend === backend)?.parity, backend).toBeLessThanOrEqual(PARITY_TOLERANCE);
    }
  });

  test("the peers' training rows say what each answered when asked to train", () => {
    const training = (impl: string) => rows.find((r) => r.case === 'training-step' && r.impl === impl);
    expect(training('tfjs-wasm')?.mean_ms).toBeNull();
    expect(training('tfjs-wasm')?.note).toMatch(/dilation rates greater than 1 are not yet supported in gradients/);
    expect(training('ort-wasm')?.mean_ms).toBeNull();
    expect(training('ort-wasm')?.note).toMatch(/exports no TrainingSession/);
  });

  test('the HTML report holds the bar chart and the table', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<svg');
    expect(html).toContain('tfjs-wasm 1 thread');
    expect(html).not.toMatch(/<script/i);
  });
});

describe('msse bench arguments', () => {
  test('is registered', () => {
    expect(commands).toContain(benchCommand);
  });

  test('a peer that is not installed is one line saying how to get it', async () => {
    const error = await importPeer('msse-no-such-peer' as PeerPackage).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MsseError);
    expect((error as Error).message).toBe(
      'bench: peer msse-no-such-peer is not installed; it is a devDependency of msse: run `npm ci` in a clone of the repository, or pass --no-peers',
    );
  });

  test('a positional argument is a usage error (exit 2)', () => {
    const result = runMsse(['bench', 'extra']);
    expect([result.status, result.stderr]).toEqual([2, "msse: bench: takes no positional arguments, got 'extra'\n"]);
  });

  test('a data folder with too few WAV files is one line naming it, exit 1', () => {
    const result = runMsse(['bench', '--quick', '--data', dir]);
    expect([result.status, result.stderr.split('\n').filter((l) => l.startsWith('msse:'))]).toEqual([
      1,
      [`msse: ${dir}: 0 WAV files; the benchmark needs 64 (pass --data DIR, e.g. EMO-DB's wav folder)`],
    ]);
  });
});
