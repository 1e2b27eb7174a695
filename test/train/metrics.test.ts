import { describe, expect, test } from 'vitest';
import {
  argmaxRows,
  confusionMatrix,
  perClassRecall,
  sumConfusions,
  unweightedAverageRecall,
  weightedAverageRecall,
} from '../../src/train/metrics.ts';
import { InternalError } from '../../src/errors.ts';

describe('confusion matrix, recall, UAR, WAR (hand-computed)', () => {
  // truth 0 0 0 1 1 2, predicted 0 1 0 1 1 0:
  // class 0: 2 of 3 right (one called 1); class 1: 2 of 2; class 2: 0 of 1 (called 0).
  const confusion = confusionMatrix([0, 0, 0, 1, 1, 2], [0, 1, 0, 1, 1, 0], 3);

  test('rows are true classes, columns predicted', () => {
    expect(confusion).toEqual([
      [2, 1, 0],
      [0, 2, 0],
      [1, 0, 0],
    ]);
  });

  test('recall per class, UAR = (2/3 + 1 + 0) / 3 = 5/9, WAR = 4/6', () => {
    expect(perClassRecall(confusion)).toEqual([2 / 3, 1, 0]);
    expect(unweightedAverageRecall(confusion)).toBeCloseTo(5 / 9, 15);
    expect(weightedAverageRecall(confusion)).toBeCloseTo(4 / 6, 15);
  });

  test('a class absent from the truth has no recall and is left out of UAR (sklearn would count it as 0)', () => {
    // truth 0 0 1 1, predicted 0 2 1 1: class 2 is predicted once but never true.
    const absent = confusionMatrix([0, 0, 1, 1], [0, 2, 1, 1], 3);
    expect(absent).toEqual([
      [1, 0, 1],
      [0, 2, 0],
      [0, 0, 0],
    ]);
    expect(perClassRecall(absent)).toEqual([0.5, 1, null]);
    expect(unweightedAverageRecall(absent)).toBe(0.75); // sklearn macro recall: (0.5 + 1 + 0) / 3 = 0.5
    expect(weightedAverageRecall(absent)).toBe(0.75);
  });

  test('UAR and WAR differ on imbalanced classes: all predicted as the majority class', () => {
    const majority = confusionMatrix([0, 0, 0, 0, 0, 0, 0, 0, 1, 1], new Array(10).fill(0), 2);
    expect(weightedAverageRecall(majority)).toBe(0.8);
    expect(unweightedAverageRecall(majority)).toBe(0.5);
  });

  test('sumConfusions adds element-wise', () => {
    expect(sumConfusions([confusion, confusion])).toEqual([
      [4, 2, 0],
      [0, 4, 0],
      [2, 0, 0],
    ]);
  });

  test('a class index out of range is a bug (InternalError)', () => {
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrowError(
      new InternalError('confusionMatrix: sample 1 has classes 3 -> 0; expected 0..2'),
    );
    expect(() => confusionMatrix([0], [0, 1], 3)).toThrowError(new InternalError('confusionMatrix: 1 true labels, 2 predictions'));
  });
});

describe('argmaxRows', () => {
  test('index of the largest score per row; the first on ties, as numpy', () => {
    const scores = Float32Array.from([0.1, 0.7, 0.2, 3, 3, -1, -5, -2, -2]);
    expect([...argmaxRows(scores, 3)]).toEqual([1, 0, 1]);
  });

  test('a NaN score is a bug upstream', () => {
    expect(() => argmaxRows([0, Number.NaN], 2)).toThrowError(new InternalError('argmaxRows: NaN score in row 0'));
  });
});
