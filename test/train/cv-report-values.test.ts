import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FormatError } from '../../src/errors.ts';
import { buildCvReport, makeFoldResult, parseCvReport, readCvReport, type CvReport, type EpochPoint } from '../../src/train/cv-report.ts';
import { runMsse } from '../support/cli.ts';
import { repoRoot } from '../support/paths.ts';
import { thrown } from '../support/thrown.ts';

/**
 * What `cv --merge` and `train --cv-report` read is checked for values, not only types (before: a part with UAR 7.0
 * merged and went into a model's provenance).
 */
const point = (epoch: number, war: number): EpochPoint => ({ epoch, train_loss: 1 / epoch, train_acc: 0.5, test_uar: war, test_war: war });
const fold1 = makeFoldResult(1, [[3, 1], [0, 2]], [point(1, 0.5), point(2, 0.9)]);
const fold2 = makeFoldResult(2, [[1, 1], [1, 1]], [point(1, 0.75), point(2, 0.5)]);
const report = buildCvReport({ folds: 3, seed: 46 }, ['a', 'b'], [fold1, fold2]);

/** The report as JSON with `edit` applied to a deep copy. */
function edited(edit: (r: CvReport) => void): string {
  const copy = JSON.parse(JSON.stringify(report)) as CvReport;
  edit(copy);
  return JSON.stringify(copy);
}

describe('parseCvReport refuses values no msse cv wrote', () => {
  test.each([
    ['a UAR above 1', (r: CvReport) => (r.folds[0]!.last.uar = 7), 'folds[0].last.uar is 7; expected a fraction in [0, 1]'],
    ['a negative WAR', (r: CvReport) => (r.folds[1]!.last.war = -0.5), 'folds[1].last.war is -0.5; expected a fraction in [0, 1]'],
    ['a curve accuracy above 1', (r: CvReport) => (r.folds[0]!.curve[1]!.test_war = 90), 'folds[0].curve[1].test_war is 90; expected a fraction in [0, 1]'],
    ['a negative count', (r: CvReport) => (r.folds[0]!.last.confusion[0]![1] = -1), 'folds[0].last.confusion[0][1] is -1; expected an integer >= 0'],
    ['a fractional count', (r: CvReport) => (r.folds[0]!.last.confusion[1]![1] = 1.5), 'folds[0].last.confusion[1][1] is 1.5; expected an integer >= 0'],
    ['a matrix that does not sum to n_test', (r: CvReport) => (r.folds[1]!.n_test = 5), 'folds[1].n_test is 5; expected 4, the count of its confusion matrix'],
    ['a UAR its matrix does not give', (r: CvReport) => (r.folds[0]!.last.uar = 0.5), 'folds[0].last.uar is 0.5; expected 0.875, the UAR of its confusion matrix'],
    ['a fold number past config.folds', (r: CvReport) => (r.folds[1]!.fold = 4), 'folds[1].fold is 4; expected a fold number from 1 to config.folds (3)'],
    ['fold 0', (r: CvReport) => (r.folds[0]!.fold = 0), 'folds[0].fold is 0; expected an integer >= 1'],
    ['a fold twice', (r: CvReport) => (r.folds[1]!.fold = 1), 'folds[1].fold is 1; expected each fold once (it appears twice)'],
    ['no config.folds', (r: CvReport) => delete r.config['folds'], 'config.folds is missing; expected an integer >= 2'],
    ['curve epochs out of order', (r: CvReport) => (r.folds[0]!.curve[1]!.epoch = 3), 'folds[0].curve[1].epoch is 3; expected 2 (epochs in order from 1)'],
    ['a best epoch past the curve', (r: CvReport) => (r.folds[0]!.best.epoch = 5), 'folds[0].best.epoch is 5; expected an epoch of its curve (1 to 2)'],
    ['a best score not on the curve', (r: CvReport) => (r.folds[0]!.best.war = 0.95), 'folds[0].best: expected the test UAR and WAR of epoch 2 of its curve; not an msse cv report'],
  ])('%s', (_, edit, message) => {
    expect(thrown(FormatError, () => parseCvReport(edited(edit), 'r.json')).line).toBe(`r.json: ${message}`);
  });

  test('every report the repository ships passes', () => {
    const dir = join(repoRoot, 'reports');
    const files = readdirSync(dir).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) expect(readCvReport(join(dir, name)).folds.length, name).toBeGreaterThan(0);
  });
});

describe('through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'msse-cv-values-'));
  const bad = join(dir, 'bad.json');
  const shipped = JSON.parse(readFileSync(join(repoRoot, 'reports', 'emodb-10fold.json'), 'utf8')) as CvReport;
  shipped.folds[2]!.last.uar = 7;
  writeFileSync(bad, JSON.stringify(shipped));

  test('cv --merge refuses a part with UAR 7.0 and writes nothing', () => {
    const out = join(dir, 'all.json');
    const result = runMsse(['cv', '--merge', bad, '-o', out]);
    expect(result.stderr).toBe(`msse: ${bad}: folds[2].last.uar is 7; expected a fraction in [0, 1]\n`);
    expect(result.status).toBe(1);
    expect(readdirSync(dir)).toEqual(['bad.json']);
  });

  test('train --cv-report refuses it before reading any WAV', () => {
    const result = runMsse(['train', '--data', join(repoRoot, '..', 'shared', 'data', 'emodb', 'wav'), '-o', join(dir, 'm.safetensors'), '--cv-report', bad, '--quiet', '--epochs', '1', '--length', '8192', '--cache', join(dir, 'cache')]);
    expect(result.stderr).toBe(`msse: ${bad}: folds[2].last.uar is 7; expected a fraction in [0, 1]\n`);
    expect(result.status).toBe(1);
  });
});
