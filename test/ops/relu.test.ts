import { describe, expect, test } from 'vitest';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { relu } from '../../src/ops/relu.ts';
import { ForwardPass } from '../../src/runtime/graph.ts';
import { awayFromZero, gradCheck } from './gradcheck.ts';

describe('relu', () => {
  test.each([[[1]], [[3, 1, 5]], [[2, 3, 2, 3]]])('gradients by finite differences (away from 0), shape %j', async (shape) => {
    await gradCheck((t, [x]) => relu(t, x!), [{ shape, values: awayFromZero(shape.reduce((a, b) => a * b), 1) }]);
  });
  test('forward clamps negatives to 0', async () => {
    expect([...(await k.read(relu(new ForwardPass(k), k.upload([-2, 0, 3], [3]))))]).toEqual([0, 0, 3]);
  });
});
