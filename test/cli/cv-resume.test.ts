import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadCheckpoint } from '../../src/train/checkpoint.ts';
import { killMsseWhen, runMsse } from '../support/cli.ts';
import { linkEmodb, pickEmodb } from '../support/emodb-subset.ts';

/**
 * `msse cv` checkpoints and --resume, through bin/msse.js, on 14 EMO-DB files (2 per emotion), 2 folds of 7 test
 * and 7 training files, batch 4 (2 steps per epoch), the reference backend and the small network of
 * train-cv-classify.test.ts.
 */
const root = mkdtempSync(join(tmpdir(), 'msse-cv-resume-'));
const emodb = linkEmodb(join(root, 'emodb'), Object.fromEntries(pickEmodb(2).map((n) => [n, n])));
const SMALL = ['--folds', '2', '--length', '8192', '--dilations', '2', '--batch', '4', '--cache', join(root, 'cache'), '--backend', 'reference'];

/** `msse cv` arguments writing `root/name.json`, checkpoints by default in `root/name.json.ckpt`. */
const cv = (name: string, ...extra: string[]) => ['cv', '--data', emodb, '--report', join(root, `${name}.json`), ...SMALL, ...extra];
const foldCheckpoint = (name: string, fold: number) => join(root, `${name}.json.ckpt`, `fold-${fold}.ckpt`);
/** The report's JSON and HTML bytes. */
const reportBytes = (name: string) => [readFileSync(join(root, `${name}.json`)), readFileSync(join(root, `${name}.html`))];
/** The per-epoch lines of a cv log, cut to `fold F/K epoch E/N`. */
const epochLines = (stdout: string) => stdout.split('\n').flatMap((line) => line.match(/^fold \d\/\d epoch \d+\/\d+/) ?? []);

describe('msse cv --resume', () => {
  test('killed during fold 2 and resumed: fold 1 is read back, fold 2 goes on, the report equals an uninterrupted run’s', async () => {
    const whole = runMsse(cv('whole', '--epochs', '3'));
    expect(whole.status, whole.stderr).toBe(0);

    expect(await killMsseWhen(cv('killed', '--epochs', '3'), () => existsSync(foldCheckpoint('killed', 2)))).toBe('SIGKILL');
    expect(existsSync(join(root, 'killed.json'))).toBe(false);
    expect(loadCheckpoint(foldCheckpoint('killed', 1)).state.epoch).toBe(3);
    const { state, fold } = loadCheckpoint(foldCheckpoint('killed', 2));
    expect(state.epoch).toBeGreaterThanOrEqual(1);
    expect(state.epoch).toBeLessThan(3);
    expect(fold?.curve.map((p) => p.epoch)).toEqual([1, 2].slice(0, state.epoch));

    const resumed = runMsse([...cv('killed', '--epochs', '3'), '--resume']);
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    const lines = resumed.stdout.split('\n');
    expect(lines).toContain(`fold 1: finished in ${foldCheckpoint('killed', 1)}`);
    expect(lines).toContain(`fold 2: resuming after epoch ${state.epoch} (step ${state.epoch * 2}) from ${foldCheckpoint('killed', 2)}`);
    expect(epochLines(resumed.stdout)).toEqual(['fold 2/2 epoch 2/3', 'fold 2/2 epoch 3/3'].slice(state.epoch - 1));
    expect(reportBytes('killed')).toEqual(reportBytes('whole'));
  });

  test('a finished run is read back, not retrained, whole or by --folds-only parts that merge into the same bytes', () => {
    const before = reportBytes('whole');
    const again = runMsse([...cv('whole', '--epochs', '3'), '--resume']);
    expect(again.status, again.stderr).toBe(0);
    expect(epochLines(again.stdout)).toEqual([]);
    expect(again.stdout).toContain(`fold 1: finished in ${foldCheckpoint('whole', 1)}\n`);
    expect(again.stdout).toContain(`fold 2: finished in ${foldCheckpoint('whole', 2)}\n`);
    expect(reportBytes('whole')).toEqual(before);

    const checkpoints = join(root, 'whole.json.ckpt');
    for (const fold of ['1', '2']) {
      const part = runMsse([...cv(`part${fold}`, '--epochs', '3', '--folds-only', fold, '--checkpoint', checkpoints), '--resume']);
      expect(part.status, part.stderr).toBe(0);
      expect(epochLines(part.stdout)).toEqual([]);
    }
    const merged = runMsse(['cv', '--merge', join(root, 'part1.json'), join(root, 'part2.json'), '-o', join(root, 'merged.json')]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(reportBytes('merged')).toEqual(before);
  });

  test('--epochs may grow: a finished 2-epoch run resumed with --epochs 3 ends with the 3-epoch report', () => {
    expect(runMsse(cv('grown', '--epochs', '2', '--quiet')).status).toBe(0);
    const grown = runMsse([...cv('grown', '--epochs', '3'), '--resume']);
    expect(grown.status, grown.stderr).toBe(0);
    expect(grown.stdout).toContain(`fold 1: resuming after epoch 2 (step 4) from ${foldCheckpoint('grown', 1)}\n`);
    expect(epochLines(grown.stdout)).toEqual(['fold 1/2 epoch 3/3', 'fold 2/2 epoch 3/3']);
    expect(reportBytes('grown')).toEqual(reportBytes('whole'));
  });

  test('--resume refuses checkpoints of another run or past --epochs, and needs one', () => {
    const file = foldCheckpoint('whole', 1);
    const cases: [string[], string, number][] = [
      [['--epochs', '3', '--seed', '7'], `msse: ${file}: checkpoint is from another run: seed is 46 in the checkpoint but 7 here`, 1],
      [['--epochs', '3', '--folds', '3'], `msse: ${file}: checkpoint is from another run: folds is 2 in the checkpoint but 3 here`, 1],
      [['--epochs', '2'], `msse: cv: ${file} is after epoch 3, past --epochs 2`, 2],
    ];
    for (const [extra, message, status] of cases) {
      const result = runMsse([...cv('whole', ...extra), '--resume']);
      expect(result.stderr, extra.join(' ')).toBe(`${message}\n`);
      expect(result.status).toBe(status);
    }
    const none = runMsse([...cv('none', '--epochs', '3'), '--resume']);
    expect(none.stderr).toBe(`msse: cv: --resume but no fold checkpoint in ${join(root, 'none.json.ckpt')}; run without --resume to start afresh\n`);
    expect(none.status).toBe(2);
  });
});
