import { describe, expect, test } from 'vitest';
import { ForwardPass } from '../../src/runtime/graph.ts';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { concat } from '../../src/ops/concat.ts';
import { Tape } from '../../src/runtime/tape.ts';
import { OP_GRADIENTS } from '../../src/ops/gradients.ts';
import { gradCheck } from './gradcheck.ts';

describe('concat', () => {
  test.each([
    { name: 'TF paths along frequency', axis: 2, parts: [[2, 3, 1, 2], [2, 3, 4, 2], [2, 3, 2, 2]] },
    { name: 'skip along features', axis: 2, parts: [[1, 2, 3], [1, 2, 1]] },
    { name: 'pooled along n', axis: 1, parts: [[2, 1, 3], [2, 1, 3], [2, 1, 3]] },
  ])('gradients by finite differences: $name', async ({ axis, parts }) => {
    await gradCheck((t, xs) => concat(t, xs, axis), parts.map((shape) => ({ shape })));
  });
  test('forward interleaves along the axis', async () => {
    const y = concat(new ForwardPass(k), [k.upload([1, 2, 3, 4], [2, 2]), k.upload([5, 6], [2, 1])], 1);
    expect(y.shape).toEqual([2, 3]);
    expect([...(await k.read(y))]).toEqual([1, 2, 5, 3, 4, 6]);
  });
  test('parts that differ off the axis are a shape error', () => {
    expect(() => concat(new Tape(k, OP_GRADIENTS), [k.upload([1, 2], [1, 2]), k.upload([1, 2], [2, 1])], 1)).toThrowError(
      'concat: parts[1] has shape (2, 1), expected (1, 2) except on axis 1',
    );
  });
});
