import { describe, expect, test } from 'vitest';
import { ForwardPass } from '../../src/runtime/graph.ts';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { mul } from '../../src/ops/mul.ts';
import { Tape } from '../../src/runtime/tape.ts';
import { OP_GRADIENTS } from '../../src/ops/gradients.ts';
import { gradCheck } from './gradcheck.ts';

describe('mul', () => {
  test.each([
    { name: 'same shape (TAB gate)', a: [2, 3, 4], b: [2, 3, 4] },
    { name: 'SE gate (B,T,3F,C)·(B,C)', a: [2, 3, 1, 5], b: [2, 5] },
    { name: 'broadcast, B=1 T=1', a: [1, 1, 3], b: [1, 3] },
  ])('gradients by finite differences: $name', async ({ a, b }) => {
    await gradCheck((t, [x, y]) => mul(t, x!, y!), [{ shape: a }, { shape: b }]);
  });
  test('broadcast forward scales each channel of each sample', async () => {
    const y = mul(new ForwardPass(k), k.upload([1, 2, 3, 4], [1, 2, 2]), k.upload([10, 100], [1, 2]));
    expect([...(await k.read(y))]).toEqual([10, 200, 30, 400]);
  });
  test('a gate of the wrong size is a shape error', () => {
    expect(() => mul(new Tape(k, OP_GRADIENTS), k.upload(new Float64Array(12), [2, 3, 2]), k.upload([1, 2, 3, 4, 5, 6], [2, 3]))).toThrowError(
      "mul: b has shape (2, 3), expected 2 on axis 1 (a's channels)",
    );
  });
});
