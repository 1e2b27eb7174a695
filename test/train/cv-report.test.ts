import { describe, expect, test } from 'vitest';
import { FormatError } from '../../src/errors.ts';
import { buildCvReport, makeFoldResult, mergeCvReports, parseCvReport, parseFoldResult, type EpochPoint } from '../../src/train/cv-report.ts';

const labels = ['a', 'b'];
const config = { data: 'emodb', folds: 3, seed: 46, epochs: 3, optimizer: { lr: 0.001, beta1: 0.93 } };
const point = (epoch: number, test_war: number, test_uar = test_war): EpochPoint => ({ epoch, train_loss: 1 / epoch, train_acc: 0.5, test_uar, test_war });

// Hand-computed folds. Fold 1: a 3/4, b 2/2 -> UAR (0.75 + 1) / 2 = 0.875, WAR 5/6.
// Fold 2: a 1/2, b 1/2 -> UAR 0.5, WAR 0.5. Fold 3: a 2/2, b 0/1 -> UAR 0.5, WAR 2/3.
const fold1 = makeFoldResult(1, [[3, 1], [0, 2]], [point(1, 0.5), point(2, 0.9, 0.8), point(3, 5 / 6, 0.875)]);
const fold2 = makeFoldResult(2, [[1, 1], [1, 1]], [point(1, 0.75, 0.7), point(2, 0.75, 0.6), point(3, 0.5)]);
const fold3 = makeFoldResult(3, [[2, 0], [1, 0]], [point(1, 0.4), point(2, 0.6), point(3, 2 / 3, 0.5)]);

describe('makeFoldResult', () => {
  test('last scores the confusion matrix; best is the epoch of highest test WAR, the first on ties', () => {
    expect(fold1.n_test).toBe(6);
    expect(fold1.last.uar).toBe(0.875);
    expect(fold1.last.war).toBeCloseTo(5 / 6, 15);
    expect(fold1.best).toEqual({ epoch: 2, uar: 0.8, war: 0.9 });
    expect(fold2.best).toEqual({ epoch: 1, uar: 0.7, war: 0.75 });
  });

  test('an empty curve is refused', () => {
    expect(() => makeFoldResult(4, [[1]], [])).toThrowError(new FormatError('fold 4: empty learning curve; expected one point per epoch'));
  });
});

describe('buildCvReport', () => {
  const report = buildCvReport(config, labels, [fold3, fold1, fold2]);

  test('folds sorted; mean over folds and pooled scores (hand-computed)', () => {
    expect(report.folds.map((f) => f.fold)).toEqual([1, 2, 3]);
    expect(report.summary.last.uar).toBeCloseTo((0.875 + 0.5 + 0.5) / 3, 15);
    expect(report.summary.last.war).toBeCloseTo((5 / 6 + 0.5 + 2 / 3) / 3, 15);
    expect(report.summary.best.war).toBeCloseTo((0.9 + 0.75 + 2 / 3) / 3, 15);
    expect(report.summary.best.uar).toBeCloseTo((0.8 + 0.7 + 0.5) / 3, 15);
    // pooled: [[6, 2], [2, 3]] -> a 6/8, b 3/5: UAR (0.75 + 0.6) / 2 = 0.675, WAR 9/13
    expect(report.summary.last_pooled.confusion).toEqual([[6, 2], [2, 3]]);
    expect(report.summary.last_pooled.uar).toBeCloseTo(0.675, 15);
    expect(report.summary.last_pooled.war).toBeCloseTo(9 / 13, 15);
  });
});

describe('mergeCvReports', () => {
  const full = buildCvReport(config, labels, [fold1, fold2, fold3]);

  test('partial runs merge into the report a full run gives, whatever their order', () => {
    const part1 = buildCvReport({ ...config }, labels, [fold2]);
    const part2 = buildCvReport({ seed: 46, folds: 3, data: 'emodb', optimizer: { beta1: 0.93, lr: 0.001 }, epochs: 3 }, labels, [fold3, fold1]);
    expect(mergeCvReports([part1, part2])).toEqual(full);
  });

  test('differing configs are refused, naming the first differing key', () => {
    const other = buildCvReport({ ...config, epochs: 5 }, labels, [fold2]);
    expect(() => mergeCvReports([buildCvReport(config, labels, [fold1]), other], ['run-a.json', 'run-b.json'])).toThrowError(
      new FormatError('cannot merge: run-b.json has a different config than run-a.json (epochs: 3 vs 5)'),
    );
    const nested = buildCvReport({ ...config, optimizer: { lr: 0.01, beta1: 0.93 } }, labels, [fold2]);
    expect(() => mergeCvReports([buildCvReport(config, labels, [fold1]), nested])).toThrowError(
      new FormatError('cannot merge: report 2 has a different config than report 1 (optimizer: {"beta1":0.93,"lr":0.001} vs {"beta1":0.93,"lr":0.01})'),
    );
    const missingKey = buildCvReport({ folds: 3 }, labels, [fold2]);
    expect(() => mergeCvReports([buildCvReport({ folds: 3, seed: 1 }, labels, [fold1]), missingKey])).toThrowError(
      new FormatError('cannot merge: report 2 has a different config than report 1 (seed: 1 vs absent)'),
    );
  });

  test('a fold in two reports is refused', () => {
    expect(() => mergeCvReports([full, buildCvReport(config, labels, [fold2])], ['all.json', 'fold2.json'])).toThrowError(
      new FormatError('cannot merge: fold 2 is in both all.json and fold2.json'),
    );
  });

  test('differing labels and an empty list are refused', () => {
    const swapped = buildCvReport(config, ['b', 'a'], [fold2]);
    expect(() => mergeCvReports([buildCvReport(config, labels, [fold1]), swapped])).toThrowError(
      new FormatError('cannot merge: report 2 has labels b, a; report 1 has a, b'),
    );
    expect(() => mergeCvReports([])).toThrowError(new FormatError('cannot merge: no reports given'));
  });
});

describe('parseCvReport', () => {
  const report = buildCvReport(config, labels, [fold1, fold2, fold3]);

  test('reads back what JSON.stringify wrote', () => {
    expect(parseCvReport(JSON.stringify(report, null, 2), 'r.json')).toEqual(report);
  });

  test.each([
    { name: 'not JSON', text: '{', message: /^r\.json: not JSON \(.+\); expected an msse cv report$/ },
    { name: 'no folds', text: JSON.stringify({ ...report, folds: [] }), message: /^r\.json: folds: expected at least one fold; not an msse cv report$/ },
    {
      name: 'a confusion row too short',
      text: JSON.stringify({ ...report, folds: [{ ...fold1, last: { ...fold1.last, confusion: [[3, 1], [0]] } }] }),
      message: /^r\.json: folds\[0\]\.last\.confusion\[1\]: expected 2 counts; not an msse cv report$/,
    },
    {
      name: 'a curve point without train_acc',
      text: JSON.stringify({ ...report, folds: [{ ...fold1, curve: [{ epoch: 1, train_loss: 1, test_uar: 1, test_war: 1 }] }] }),
      message: /^r\.json: folds\[0\]\.curve\[0\]\.train_acc: expected a number; not an msse cv report$/,
    },
    { name: 'labels not strings', text: JSON.stringify({ ...report, labels: ['a', 2] }), message: /^r\.json: labels\[1\]: expected a string; not an msse cv report$/ },
  ])('$name is a FormatError naming the file and field', ({ text, message }) => {
    let line = '';
    try {
      parseCvReport(text, 'r.json');
    } catch (error) {
      expect(error).toBeInstanceOf(FormatError);
      line = (error as FormatError).line;
    }
    expect(line).toMatch(message);
  });
});

describe('parseFoldResult', () => {
  test('reads an entry back as the same JSON bytes, key order included (a resumed cv report equals a whole run\'s)', () => {
    for (const fold of [fold1, fold2, fold3]) expect(JSON.stringify(parseFoldResult(JSON.parse(JSON.stringify(fold)), 'fold', 'x.ckpt'))).toBe(JSON.stringify(fold));
  });

  test('a confusion matrix that is not square is a FormatError naming the file and field', () => {
    let line = '';
    try {
      parseFoldResult({ ...fold1, last: { ...fold1.last, confusion: [[3, 1]] } }, 'metadata "fold"', 'x.ckpt');
    } catch (error) {
      expect(error).toBeInstanceOf(FormatError);
      line = (error as FormatError).line;
    }
    expect(line).toBe('x.ckpt: metadata "fold".last.confusion[0]: expected 1 counts; not an msse cv fold');
  });
});
