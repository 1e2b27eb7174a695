import { describe, expect, test } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { CounterRng, RNG_STREAM, checkSeed } from '../../src/train/rng.ts';
import { counterHash } from '../../src/runtime/random.ts';

describe('CounterRng', () => {
  test('draw k of a stream is counterHash(seed, stream, step, lane, k)', () => {
    const rng = new CounterRng(46, RNG_STREAM.batches, 7, 3);
    const draws = [rng.nextUint32(), rng.nextUint32(), rng.nextUint32()];
    expect(draws).toEqual([0, 1, 2].map((k) => counterHash(46, RNG_STREAM.batches, 7, 3, k)));
  });

  test('streams, steps and lanes are independent of each other', () => {
    const first = (rng: CounterRng): number[] => [rng.nextUint32(), rng.nextUint32()];
    const base = first(new CounterRng(46, RNG_STREAM.kfold));
    expect(first(new CounterRng(46, RNG_STREAM.kfold))).toEqual(base);
    expect(first(new CounterRng(47, RNG_STREAM.kfold))).not.toEqual(base);
    expect(first(new CounterRng(46, RNG_STREAM.batches))).not.toEqual(base);
    expect(first(new CounterRng(46, RNG_STREAM.kfold, 1))).not.toEqual(base);
    expect(first(new CounterRng(46, RNG_STREAM.kfold, 0, 1))).not.toEqual(base);
  });

  test('nextBelow(6) is uniform: chi-square over 60000 draws below the 0.1% critical value', () => {
    const rng = new CounterRng(1, 99);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[rng.nextBelow(6)]!++;
    const chiSquare = counts.reduce((sum, c) => sum + (c - 10000) ** 2 / 10000, 0);
    expect(chiSquare).toBeLessThan(20.52); // 5 degrees of freedom, p = 0.001
  });

  test('nextBelow(1) is always 0 and nextBelow(2^32) takes every draw as is', () => {
    const rng = new CounterRng(5, 1);
    expect([rng.nextBelow(1), rng.nextBelow(1)]).toEqual([0, 0]);
    const same = new CounterRng(5, 1);
    same.nextUint32();
    same.nextUint32();
    expect(rng.nextBelow(2 ** 32)).toBe(same.nextUint32());
  });

  test('shuffle gives a permutation, reproducibly; all 6 orders of 3 items occur about equally', () => {
    const shuffled = new CounterRng(46, 0).shuffle(Array.from({ length: 100 }, (_, i) => i));
    expect([...shuffled].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(new CounterRng(46, 0).shuffle(Array.from({ length: 100 }, (_, i) => i))).toEqual(shuffled);
    const orders = new Map<string, number>();
    for (let step = 0; step < 6000; step++) {
      const key = new CounterRng(3, 0, step).shuffle(['a', 'b', 'c']).join('');
      orders.set(key, (orders.get(key) ?? 0) + 1);
    }
    expect(orders.size).toBe(6);
    for (const count of orders.values()) expect(Math.abs(count - 1000)).toBeLessThan(130);
  });

  test('the k-fold shuffle of seed 46 is pinned: changing it changes every published split', () => {
    expect(new CounterRng(46, RNG_STREAM.kfold).shuffle(Array.from({ length: 10 }, (_, i) => i))).toEqual(PINNED_SHUFFLE);
  });
});

describe('checkSeed', () => {
  test.each([0, 46, 2 ** 32 - 1])('accepts %d', (seed) => {
    expect(() => checkSeed(seed)).not.toThrow();
  });
  test.each([-1, 1.5, 2 ** 32, Number.NaN])('rejects %d with a UsageError', (seed) => {
    expect(() => new CounterRng(seed, 0)).toThrowError(new UsageError(`seed ${seed}; expected an integer from 0 to 4294967295`));
  });
});

/** Recorded from the first implementation (rng.ts + runtime/random.ts lowbias32). */
const PINNED_SHUFFLE = [8, 1, 9, 5, 7, 2, 4, 6, 0, 3];
