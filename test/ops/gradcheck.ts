import { expect } from 'vitest';
import { referenceBackend } from '../../src/backends/reference/index.ts';
import { mul } from '../../src/ops/mul.ts';
import { mean } from '../../src/ops/reduce-sum.ts';
import { reshape } from '../../src/ops/reshape.ts';
import { counterUniform } from '../../src/runtime/random.ts';
import { Tape } from '../../src/runtime/tape.ts';
import { OP_GRADIENTS } from '../../src/ops/gradients.ts';
import { numElements, type Shape, type Tensor } from '../../src/runtime/tensor.ts';

const k = referenceBackend;

/** Seeded values in [lo, hi) (no Math.random). */
export function seeded(n: number, stream: number, lo = -1, hi = 1): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => lo + (hi - lo) * counterUniform(7, stream, 0, 0, i));
}

/** Seeded values with |v| in [0.2, 1): away from ReLU kinks. */
export function awayFromZero(n: number, stream: number): Float64Array {
  return seeded(n, stream, 0.2, 1).map((v, i) => (counterUniform(8, stream, 0, 0, i) < 0.5 ? -v : v));
}

export interface GradInput {
  readonly shape: Shape;
  readonly values?: Float64Array;
  /** False for data inputs (targets): no gradient is checked or asked for. */
  readonly differentiable?: boolean;
}

/**
 * Central finite differences in float64 on the reference backend. L = mean(f(inputs) · R) with fixed random R;
 * for each differentiable input, a few elements (first, last, and some in between) are perturbed by ±h and
 * (L+ − L−)/2h is compared with the tape's gradient.
 */
export async function gradCheck(f: (tape: Tape, xs: Tensor[]) => Tensor, inputs: readonly GradInput[], h = 1e-5): Promise<void> {
  const values = inputs.map((inp, i) => inp.values ?? seeded(numElements(inp.shape), 100 + i));
  const loss = (tape: Tape, vals: Float64Array[]): { l: Tensor; xs: Tensor[] } => {
    const xs = vals.map((v, i) => {
      const t = k.upload(v, inputs[i]!.shape);
      t.requiresGrad = inputs[i]!.differentiable !== false;
      return t;
    });
    const y = f(tape, xs);
    const r = k.upload(seeded(y.numElements, 99), y.shape);
    const flat = reshape(tape, mul(tape, y, r), [1, y.numElements]);
    return { l: mean(tape, flat, 1, 1), xs };
  };
  const tape = new Tape(k, OP_GRADIENTS);
  const { l, xs } = loss(tape, values);
  const grads = tape.backward(l);
  const lossAt = async (vals: Float64Array[]) => (await k.read(loss(new Tape(k, OP_GRADIENTS), vals).l))[0]!;

  for (const [i, inp] of inputs.entries()) {
    if (inp.differentiable === false) continue;
    const g = await k.read(grads.get(xs[i]!)!);
    const n = values[i]!.length;
    const picks = [...new Set([0, n - 1, Math.floor(n / 2), Math.floor(n / 3), Math.floor((2 * n) / 3)])];
    for (const e of picks) {
      const plus = values.map((v) => v.slice());
      const minus = values.map((v) => v.slice());
      plus[i]![e]! += h;
      minus[i]![e]! -= h;
      const fd = ((await lossAt(plus)) - (await lossAt(minus))) / (2 * h);
      expect(Math.abs(fd - g[e]!), `input ${i} element ${e}: fd ${fd} vs tape ${g[e]}`).toBeLessThanOrEqual(1e-9 + 1e-6 * Math.abs(fd));
    }
  }
}
