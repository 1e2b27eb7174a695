import { describe, expect, test } from 'vitest';
import { ForwardPass } from '../../src/runtime/graph.ts';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { conv2d } from '../../src/ops/conv2d.ts';
import { Tape } from '../../src/runtime/tape.ts';
import { OP_GRADIENTS } from '../../src/ops/gradients.ts';
import { gradCheck } from './gradcheck.ts';

describe('conv2d', () => {
  test.each([
    { name: '11x1 time kernel taller than T=4', x: [1, 4, 3], w: [2, 1, 11, 1] },
    { name: '1x9 frequency kernel, F=5', x: [2, 3, 5], w: [3, 1, 1, 9] },
    { name: '3x3, T=1', x: [2, 1, 4], w: [2, 1, 3, 3] },
    { name: '3x3, odd sizes', x: [1, 5, 3], w: [1, 1, 3, 3] },
  ])('gradients by finite differences: $name', async ({ x, w }) => {
    await gradCheck((t, [xv, wv, bv]) => conv2d(t, xv!, wv!, bv!), [{ shape: x }, { shape: w }, { shape: [w[0]!] }]);
  });
  test("TF 'same' padding centres odd kernels", async () => {
    // A 3x1 kernel [1, 2, 3] over time at t reads x[t-1], x[t], x[t+1], zero outside.
    const y = conv2d(new ForwardPass(k), k.upload([1, 10, 100], [1, 3, 1]), k.upload([1, 2, 3], [1, 1, 3, 1]), k.upload([0], [1]));
    expect(y.shape).toEqual([1, 3, 1, 1]);
    expect([...(await k.read(y))]).toEqual([2 * 1 + 3 * 10, 1 + 2 * 10 + 3 * 100, 10 + 2 * 100]);
  });
  test('more than one input channel is a shape error', () => {
    expect(() => conv2d(new Tape(k, OP_GRADIENTS), k.upload(new Float64Array(6), [1, 2, 3]), k.upload(new Float64Array(2), [1, 2, 1, 1]), k.upload([0], [1]))).toThrowError(
      'conv2d: w has shape (1, 2, 1, 1), expected 1 on axis 1 (one input channel)',
    );
  });
});
