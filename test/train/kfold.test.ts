import { describe, expect, test } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { epochBatches, kFoldSplits } from '../../src/train/kfold.ts';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

describe('kFoldSplits', () => {
  // Fold sizes as sklearn's KFold computes them: n // K each, plus one for the first n % K folds.
  test.each([
    { n: 535, k: 10, sizes: [54, 54, 54, 54, 54, 53, 53, 53, 53, 53] },
    { n: 10, k: 3, sizes: [4, 3, 3] },
    { n: 7, k: 7, sizes: [1, 1, 1, 1, 1, 1, 1] },
    { n: 5, k: 2, sizes: [3, 2] },
    { n: 12, k: 4, sizes: [3, 3, 3, 3] },
  ])('n=$n K=$k: sizes $sizes, every sample tested once, train = the rest ascending', ({ n, k, sizes }) => {
    const splits = kFoldSplits(n, k, 46);
    expect(splits.map((s) => s.fold)).toEqual(range(k).map((i) => i + 1));
    expect(splits.map((s) => s.test.length)).toEqual(sizes);
    expect(ascending(splits.flatMap((s) => s.test))).toEqual(range(n));
    for (const split of splits) {
      expect(split.train).toEqual(range(n).filter((i) => !split.test.includes(i)));
    }
  });

  test('the test folds are consecutive runs of one shuffled order, not the identity', () => {
    const order = kFoldSplits(535, 10, 46).flatMap((s) => s.test);
    expect(order).not.toEqual(range(535));
    expect(kFoldSplits(535, 10, 46).flatMap((s) => s.test)).toEqual(order);
    expect(kFoldSplits(535, 10, 47).flatMap((s) => s.test)).not.toEqual(order);
  });

  test('a split does not depend on K beyond where the cuts fall (one shuffle of n indices)', () => {
    expect(kFoldSplits(30, 3, 9).flatMap((s) => s.test)).toEqual(kFoldSplits(30, 5, 9).flatMap((s) => s.test));
  });

  test.each([
    { n: 10, k: 1, message: 'k-fold: 1 folds; expected an integer of at least 2' },
    { n: 10, k: 2.5, message: 'k-fold: 2.5 folds; expected an integer of at least 2' },
    { n: 3, k: 4, message: 'k-fold: 4 folds but only 3 samples; expected at most one fold per sample' },
  ])('n=$n K=$k is a UsageError', ({ n, k, message }) => {
    expect(() => kFoldSplits(n, k, 46)).toThrowError(new UsageError(message));
  });

  test('a seed outside u32 is a UsageError', () => {
    expect(() => kFoldSplits(10, 2, -3)).toThrowError(new UsageError('seed -3; expected an integer from 0 to 4294967295'));
  });
});

describe('epochBatches', () => {
  const train = kFoldSplits(535, 10, 46)[0]!.train; // 481 indices

  test('batches of 64 with a shorter last one (Keras keeps it), covering the training indices once', () => {
    const batches = epochBatches(train, 64, { seed: 46, fold: 1, epoch: 1 });
    expect(batches.map((b) => b.length)).toEqual([64, 64, 64, 64, 64, 64, 64, 33]);
    expect(ascending(batches.flat())).toEqual([...train]);
  });

  test('a fresh order each epoch and fold; the same order for the same (seed, fold, epoch)', () => {
    const order = (seed: number, fold: number, epoch: number): number[] => epochBatches(train, 64, { seed, fold, epoch }).flat();
    const base = order(46, 1, 1);
    expect(order(46, 1, 1)).toEqual(base);
    expect(order(46, 1, 2)).not.toEqual(base);
    expect(order(46, 2, 1)).not.toEqual(base);
    expect(order(47, 1, 1)).not.toEqual(base);
  });

  test('leaves the caller\'s indices untouched', () => {
    const indices = [5, 6, 7, 8];
    epochBatches(indices, 3, { seed: 1, fold: 1, epoch: 1 });
    expect(indices).toEqual([5, 6, 7, 8]);
  });
});
