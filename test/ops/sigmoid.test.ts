import { describe, expect, test } from 'vitest';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { sigmoid } from '../../src/ops/sigmoid.ts';
import { ForwardPass } from '../../src/runtime/graph.ts';
import { gradCheck, seeded } from './gradcheck.ts';

describe('sigmoid', () => {
  test.each([[[1]], [[2, 1, 7]]])('gradients by finite differences, shape %j', async (shape) => {
    await gradCheck((t, [x]) => sigmoid(t, x!), [{ shape, values: seeded(shape.reduce((a, b) => a * b), 3, -4, 4) }]);
  });
  test('forward values', async () => {
    const y = await k.read(sigmoid(new ForwardPass(k), k.upload([0, Math.log(3)], [2])));
    expect(y[0]).toBe(0.5);
    expect(y[1]).toBeCloseTo(0.75, 15);
  });
});
