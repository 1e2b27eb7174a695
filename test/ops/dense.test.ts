import { describe, expect, test } from 'vitest';
import { ForwardPass } from '../../src/runtime/graph.ts';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { dense, perSampleDense } from '../../src/ops/dense.ts';
import { mul } from '../../src/ops/mul.ts';
import { Tape } from '../../src/runtime/tape.ts';
import { OP_GRADIENTS } from '../../src/ops/gradients.ts';
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
    const y = dense(new ForwardPass(k), k.upload([1, 2], [1, 2]), k.upload([1, 0, 3, 4], [2, 2]), k.upload([0.5, -1], [2]));
    expect([...(await k.read(y))]).toEqual([1.5, 10]);
  });
  test('an input size that does not match w is a shape error', () => {
    expect(() => dense(new Tape(k, OP_GRADIENTS), k.upload([1, 2, 3], [1, 3]), k.upload([1, 2], [1, 2]), k.upload([0], [1]))).toThrowError(
      "dense: x has shape (1, 3), expected 2 on axis 1 (w's input size)",
    );
  });

  test.each([
    { name: '(B, T, F, C) paths', x: [2, 3, 2, 4] },
    { name: 'rank 2, one input', x: [3, 1] },
  ])('per-sample-dense: gradients by finite differences, $name', async ({ x }) => {
    const w = [x[0]!, x.at(-1)!];
    await gradCheck((t, [xv, wv, bv]) => perSampleDense(t, xv!, wv!, bv!), [{ shape: x }, { shape: w }, { shape: [1] }]);
  });
  test('per-sample-dense with w = gate ⊙ conv weights is the 1×1 conv of the gated input', async () => {
    const t = new ForwardPass(k);
    const x = k.upload([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    const gate = k.upload([0.5, 2, -1, 3], [2, 2]);
    const convWeight = k.upload([4, -0.25], [1, 2, 1, 1]);
    const bias = k.upload([0.125], [1]);
    const perSample = k.upload([0.5 * 4, 2 * -0.25, -1 * 4, 3 * -0.25], [2, 2]);  // gate ⊙ (4, −0.25), exact
    const fused = perSampleDense(t, x, perSample, bias);
    const composed = dense(t, mul(t, x, gate), convWeight, bias);
    expect(fused.shape).toEqual([2, 2, 1]);
    expect([...(await k.read(fused))]).toEqual([...(await k.read(composed))]);
  });
  test('per-sample-dense: w must be (B, In) and b (1)', () => {
    const x = k.upload(new Float64Array(12), [2, 3, 2]);
    expect(() => perSampleDense(new Tape(k, OP_GRADIENTS), x, k.upload([1, 2], [1, 2]), k.upload([0], [1]))).toThrowError(
      'per-sample-dense: w has shape (1, 2), expected (2, 2)',
    );
  });
});

