import { describe, expect, test } from 'vitest';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { add } from '../../src/ops/add.ts';
import { ForwardPass } from '../../src/runtime/graph.ts';
import { gradCheck } from './gradcheck.ts';

describe('add', () => {
  test.each([[[1]], [[2, 3, 1]], [[1, 5, 2, 3]]])('gradients by finite differences, shape %j', async (shape) => {
    await gradCheck((t, [a, b]) => add(t, a!, b!), [{ shape }, { shape }]);
  });
  test('forward adds elementwise and rejects unequal shapes', async () => {
    const tape = new ForwardPass(k);
    const y = add(tape, k.upload([1, 2], [2]), k.upload([10, 20], [2]));
    expect([...(await k.read(y))]).toEqual([11, 22]);
    expect(() => add(tape, k.upload([1, 2], [2]), k.upload([1, 2], [1, 2]))).toThrowError('add: b has shape (1, 2), expected (2)');
  });
});
