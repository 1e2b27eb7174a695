import { describe, expect, test } from 'vitest';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { reverseTime } from '../../src/ops/reverse-time.ts';
import { ForwardPass } from '../../src/runtime/graph.ts';
import { gradCheck } from './gradcheck.ts';

describe('reverse-time', () => {
  test.each([[[1, 1, 3]], [[2, 5, 3]], [[2, 4, 3, 2]]])('gradients by finite differences, shape %j', async (shape) => {
    await gradCheck((t, [x]) => reverseTime(t, x!), [{ shape }]);
  });
  test('forward reverses axis 1 only', async () => {
    const y = reverseTime(new ForwardPass(k), k.upload([1, 2, 3, 4, 5, 6], [1, 3, 2]));
    expect([...(await k.read(y))]).toEqual([5, 6, 3, 4, 1, 2]);
  });
});
