import { describe, expect, test } from 'vitest';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { dense } from '../../src/ops/dense.ts';
import { Tape } from '../../src/runtime/tape.ts';
import { gradCheck } from './gradcheck.ts';

describe('dense', () => {
  test.each([
    { name: 'Dense (B,In)·[Out,In]', x: [3, 4], w: [5, 4] },
    { name: '1x1 Conv2D to one channel', x: [2, 3, 1, 4], w: [1, 4, 1, 1] },
    { name: 'Conv1D k=1', x: [2, 5, 6], w: [3, 6, 1] },
    { name: 'B=1, one input', x: [1, 1], w: [2, 1] },
  ])('gradients by finite differences: $name', async ({ x, w }) => {
    await gradCheck((t, [xv, wv, bv]) => dense(t, xv!, wv!, bv!), [{ shape: x }, { shape: w }, { shape: [w[0]!] }]);
  });
  test('forward is x·wᵀ + b over the last axis', async () => {
    const y = dense(new Tape(k, false), k.upload([1, 2], [1, 2]), k.upload([1, 0, 3, 4], [2, 2]), k.upload([0.5, -1], [2]));
    expect([...(await k.read(y))]).toEqual([1.5, 10]);
  });
  test('an input size that does not match w is a shape error', () => {
    expect(() => dense(new Tape(k), k.upload([1, 2, 3], [1, 3]), k.upload([1, 2], [1, 2]), k.upload([0], [1]))).toThrowError(
      "dense: x has shape (1, 3), expected 2 on axis 1 (w's input size)",
    );
  });
});
