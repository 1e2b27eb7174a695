import { describe, expect, test } from 'vitest';
import { ForwardPass } from '../../src/runtime/graph.ts';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { add } from '../../src/ops/add.ts';
import { mul } from '../../src/ops/mul.ts';
import { mean, sumRows } from '../../src/ops/reduce-sum.ts';
import { Tape } from '../../src/runtime/tape.ts';
import { OP_GRADIENTS } from '../../src/ops/gradients.ts';
import { gradCheck } from './gradcheck.ts';

describe('reduce-sum', () => {
  test.each([
    { name: 'SE squeeze (B,T,3F,C) over T,3F', shape: [2, 3, 1, 5], axis: 1, count: 2 },
    { name: 'pool over T, T=1', shape: [3, 1, 4], axis: 1, count: 1 },
    { name: 'leading axes', shape: [2, 3, 4], axis: 0, count: 2 },
  ])('mean gradients by finite differences: $name', async ({ shape, axis, count }) => {
    await gradCheck((t, [x]) => mean(t, x!, axis, count), [{ shape }]);
  });
  // x feeds the mean and then a product: backward reaches the mean with x's gradient from the product already
  // there, and the mean adds its broadcast to it (backwardAdding) instead of the tape adding.
  test('gradients by finite differences when x also feeds a later op: mean(x) + mean(x · x)', async () => {
    await gradCheck((t, [x]) => add(t, mean(t, x!, 1, 2), mean(t, mul(t, x!, x!), 1, 2)), [{ shape: [2, 3, 4, 5] }]);
  });
  test('mean and sumRows values', async () => {
    const x = k.upload([1, 2, 3, 4, 5, 6], [1, 3, 2]);
    expect([...(await k.read(mean(new ForwardPass(k), x, 1, 1)))]).toEqual([3, 4]);
    expect([...(await k.read(sumRows(k, x)))]).toEqual([9, 12]);
  });
  test('axes past the rank are a shape error', () => {
    expect(() => mean(new Tape(k, OP_GRADIENTS), k.upload([1, 2], [1, 2]), 1, 2)).toThrowError('reduce-sum: axes [1, 3) do not exist in x (1, 2)');
  });
});
