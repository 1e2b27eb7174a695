import { describe, expect, test } from 'vitest';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { adamStep } from '../../src/ops/adam.ts';

const hyper = { lr: 1e-3, beta1: 0.93, beta2: 0.98, eps: 1e-8 };

/** Keras Adam by hand, for one scalar over several steps. */
function kerasAdam(p: number, grads: number[]): number {
  let [m, v] = [0, 0];
  grads.forEach((g, i) => {
    const t = i + 1;
    m = hyper.beta1 * m + (1 - hyper.beta1) * g;
    v = hyper.beta2 * v + (1 - hyper.beta2) * g * g;
    p -= ((hyper.lr * Math.sqrt(1 - hyper.beta2 ** t)) / (1 - hyper.beta1 ** t)) * (m / (Math.sqrt(v) + hyper.eps));
  });
  return p;
}

describe('adam', () => {
  test('t = 1 is p − lr·g/(|g| + eps/sqrt(1 − β2)) (Keras form, not PyTorch)', async () => {
    const gs = [3e-8, -1e-3, 0];
    const p = k.upload([1, 1, 1], [3]);
    adamStep(k, p, k.upload(gs, [3]), k.upload([0, 0, 0], [3]), k.upload([0, 0, 0], [3]), hyper, 1);
    const epsHat = hyper.eps / Math.sqrt(1 - hyper.beta2);
    const got = await k.read(p);
    gs.forEach((g, i) => expect(got[i]).toBeCloseTo(1 - (hyper.lr * g) / (Math.abs(g) + epsHat), 15));
  });
  test('t > 1 applies the bias correction of step t and keeps m, v between steps', async () => {
    const grads = [0.5, -0.2, 0.05, 1e-7];
    const [p, m, v] = [k.upload([0.3], [1]), k.upload([0], [1]), k.upload([0], [1])];
    grads.forEach((g, i) => adamStep(k, p, k.upload([g], [1]), m, v, hyper, i + 1));
    expect((await k.read(p))[0]).toBeCloseTo(kerasAdam(0.3, grads), 15);
    // Not the same as restarting the bias correction each step:
    expect(Math.abs(kerasAdam(0.3, grads) - grads.reduce((q, g) => kerasAdam(q, [g]), 0.3))).toBeGreaterThan(1e-5);
  });
  test('step 0 is rejected', () => {
    const t = k.upload([0], [1]);
    expect(() => adamStep(k, t, t, t, t, hyper, 0)).toThrowError('adam: t must be an integer >= 1, got 0');
  });
});
