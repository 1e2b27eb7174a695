import { describe, expect, test } from 'vitest';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { weightedSum } from '../../src/ops/weighted-sum.ts';
import { ForwardPass } from '../../src/runtime/graph.ts';
import { gradCheck } from './gradcheck.ts';

describe('weighted-sum', () => {
  test.each([
    { name: 'B=2 n=3 C=4', g: [2, 3, 4] },
    { name: 'B=1 n=1 C=1', g: [1, 1, 1] },
  ])('gradients by finite differences: $name', async ({ g }) => {
    await gradCheck((t, [x, w]) => weightedSum(t, x!, w!), [{ shape: g }, { shape: [g[1]!] }]);
  });
  test('forward sums the n vectors with their weights', async () => {
    const z = weightedSum(new ForwardPass(k), k.upload([1, 2, 10, 20], [1, 2, 2]), k.upload([3, 0.5], [2]));
    expect([...(await k.read(z))]).toEqual([8, 16]);
  });
});
