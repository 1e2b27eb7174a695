import { describe, expect, test } from 'vitest';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { batchNorm, batchNormTraining, type BatchNormOptions } from '../../src/ops/batch-norm.ts';
import { mul } from '../../src/ops/mul.ts';
import { scaledSum } from '../../src/ops/reduce-sum.ts';
import { reshape } from '../../src/ops/reshape.ts';
import { reluDropout, type DropoutSite } from '../../src/ops/spatial-dropout.ts';
import { ForwardPass } from '../../src/runtime/graph.ts';
import { Tape } from '../../src/runtime/tape.ts';
import { OP_GRADIENTS } from '../../src/ops/gradients.ts';
import type { Tensor } from '../../src/runtime/tensor.ts';
import { awayFromZero, gradCheck } from './gradcheck.ts';

const train = (runningVariance: 'unbiased' | 'biased'): BatchNormOptions => ({ eps: 1e-3, momentum: 0.99, runningVariance });

function state(chans: number, runningMean = 0, runningVar = 1) {
  return {
    runningMean: k.upload(new Float64Array(chans).fill(runningMean), [chans]),
    runningVar: k.upload(new Float64Array(chans).fill(runningVar), [chans]),
  };
}

describe('batch-norm', () => {
  test.each([
    { name: 'TAB 3-D (B,T,C)', x: [2, 3, 4] },
    { name: 'TF path 4-D (B,T,F,C)', x: [1, 3, 2, 5] },
    { name: 'one channel, N=3', x: [3, 1] },
  ])('training-mode gradients by finite differences: $name', async ({ x }) => {
    const chans = x[x.length - 1]!;
    await gradCheck(
      (t, [xv, g, b]) => batchNormTraining(t, xv!, { gamma: g!, beta: b!, ...state(chans) }, train('biased')),
      [{ shape: x }, { shape: [chans] }, { shape: [chans] }],
    );
  });

  // x = [1, 2, 3, 6] in one channel: μ = 3, biased σ² = 3.5, unbiased s² = 3.5·4/3.
  const x4 = () => k.upload([1, 2, 3, 6], [1, 2, 2, 1]);
  const ones = () => k.upload([1], [1]);
  const zeros = () => k.upload([0], [1]);
  const runningAfter = async (x: Tensor, rv: 'unbiased' | 'biased') => {
    const s = state(1);
    batchNormTraining(new Tape(k, OP_GRADIENTS), x, { gamma: ones(), beta: zeros(), ...s }, train(rv));
    return [(await k.read(s.runningMean))[0]!, (await k.read(s.runningVar))[0]!];
  };

  test('TF-path (4-D, Keras fused) running variance is unbiased: 0.99 + 0.01·σ²·N/(N−1)', async () => {
    const [mean, variance] = await runningAfter(x4(), 'unbiased');
    expect(mean).toBeCloseTo(0.01 * 3, 15);
    expect(variance).toBeCloseTo(0.99 + 0.01 * ((3.5 * 4) / 3), 15);
  });
  test('TAB (3-D, Keras non-fused) running variance is biased: 0.99 + 0.01·σ²', async () => {
    const [, variance] = await runningAfter(k.upload([1, 2, 3, 6], [1, 4, 1]), 'biased');
    expect(variance).toBeCloseTo(0.99 + 0.01 * 3.5, 15);
  });
  test('two training forwards update the running statistics twice', async () => {
    const s = state(1);
    for (let i = 0; i < 2; i++) batchNormTraining(new Tape(k, OP_GRADIENTS), x4(), { gamma: ones(), beta: zeros(), ...s }, train('biased'));
    expect((await k.read(s.runningMean))[0]).toBeCloseTo(0.99 * 0.03 + 0.03, 15);
  });
  test('inference normalises with the running statistics and leaves them alone', async () => {
    const s = state(1, 2, 4 - 1e-3);
    const y = batchNorm(new ForwardPass(k), x4(), { gamma: k.upload([3], [1]), beta: k.upload([1], [1]), ...s }, 1e-3);
    expect([...(await k.read(y))]).toEqual([-0.5, 1, 2.5, 7]);
    expect((await k.read(s.runningMean))[0]).toBe(2);
  });
  test('training output is normalised with the biased batch variance and eps 1e-3', async () => {
    const y = batchNormTraining(new Tape(k, OP_GRADIENTS), x4(), { gamma: ones(), beta: zeros(), ...state(1) }, train('unbiased'));
    expect((await k.read(y))[3]).toBeCloseTo(3 / Math.sqrt(3.5 + 1e-3), 15);
  });
  test('a gamma of the wrong size is a shape error', () => {
    expect(() => batchNormTraining(new Tape(k, OP_GRADIENTS), x4(), { gamma: k.upload([1, 1], [2]), beta: zeros(), ...state(1) }, train('biased'))).toThrowError(
      'batch-norm: gamma has shape (2), expected (1)',
    );
  });

  const tail: DropoutSite = { rate: 0.3, seed: 46, stream: 4, step: 2 };
  test.each([
    { name: 'TAB 3-D (B,T,C)', x: [2, 3, 4] },
    { name: 'TF path 4-D (B,T,F,C)', x: [2, 3, 2, 3] },
  ])('with a ReLU-dropout tail, training-mode gradients by finite differences: $name', async ({ x }) => {
    const chans = x[x.length - 1]!;
    await gradCheck(
      (t, [xv, g, b]) => batchNormTraining(t, xv!, { gamma: g!, beta: b!, ...state(chans) }, train('biased'), tail),
      [{ shape: x, values: awayFromZero(x.reduce((a, b) => a * b), 3) }, { shape: [chans] }, { shape: [chans] }],
    );
  });
  test('with a tail: the same values, gradients and running statistics as batch-norm, then relu-dropout', async () => {
    const shape = [3, 4, 5];
    // x, γ, β and the gradient of Σ y · r, then the running statistics.
    const run = async (fused: boolean) => {
      const t = new Tape(k, OP_GRADIENTS);
      const [x, gamma, beta] = [k.upload(awayFromZero(60, 5), shape), k.upload(awayFromZero(5, 6), [5]), k.upload(awayFromZero(5, 7), [5])];
      for (const p of [x, gamma, beta]) p.requiresGrad = true;
      const s = { gamma, beta, ...state(5) };
      const y = fused ? batchNormTraining(t, x, s, train('biased'), tail) : reluDropout(t, batchNormTraining(t, x, s, train('biased')), tail);
      const weighted = reshape(t, mul(t, y, k.upload(awayFromZero(60, 8), shape)), [1, 60]);
      const grads = t.backward(scaledSum(t, weighted, 1, 1, 1));
      return Promise.all([y, grads.get(x)!, grads.get(gamma)!, grads.get(beta)!, s.runningMean, s.runningVar].map((v) => k.read(v)));
    };
    const fused = await run(true);
    expect(fused[0]!.some((v) => v === 0) && fused[0]!.some((v) => v > 0)).toBe(true);
    expect(fused).toEqual(await run(false));
  });
});

