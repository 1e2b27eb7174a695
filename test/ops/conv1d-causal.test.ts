import { describe, expect, test } from 'vitest';
import { ForwardPass } from '../../src/runtime/graph.ts';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { conv1dCausal } from '../../src/ops/conv1d-causal.ts';
import { Tape } from '../../src/runtime/tape.ts';
import { OP_GRADIENTS } from '../../src/ops/gradients.ts';
import { gradCheck } from './gradcheck.ts';

describe('conv1d-causal', () => {
  test.each([
    { name: 'B=2 T=5 Cin=3 Cout=4 K=2 d=1', x: [2, 5, 3], w: [4, 3, 2], d: 1 },
    { name: 'B=1 T=6 Cin=2 Cout=2 K=2 d=2', x: [1, 6, 2], w: [2, 2, 2], d: 2 },
    { name: 'T < dilation: T=3 d=4', x: [2, 3, 2], w: [3, 2, 2], d: 4 },
    { name: 'Cin=1 Cout=1 K=3 d=2', x: [1, 7, 1], w: [1, 1, 3], d: 2 },
    { name: 'K=1 (conv_in)', x: [1, 2, 5], w: [2, 5, 1], d: 1 },
  ])('gradients by finite differences: $name', async ({ x, w, d }) => {
    await gradCheck((t, [xv, wv, bv]) => conv1dCausal(t, xv!, wv!, bv!, d), [{ shape: x }, { shape: w }, { shape: [w[0]!] }]);
  });
  test('tap 0 multiplies the older sample x[t − d], tap 1 the current one', async () => {
    const x = k.upload([1, 10, 100, 1000], [1, 4, 1]);
    const y = conv1dCausal(new ForwardPass(k), x, k.upload([2, 3], [1, 1, 2]), k.upload([0.5], [1]), 2);
    expect([...(await k.read(y))]).toEqual([0.5 + 3, 0.5 + 30, 0.5 + 2 + 300, 0.5 + 20 + 3000]);
  });
  test('a zero dilation is a shape error', () => {
    expect(() => conv1dCausal(new Tape(k, OP_GRADIENTS), k.upload([1], [1, 1, 1]), k.upload([1, 1], [1, 1, 2]), k.upload([0], [1]), 0)).toThrowError(
      'conv1d-causal: dilation must be an integer >= 1, got 0',
    );
  });
});
