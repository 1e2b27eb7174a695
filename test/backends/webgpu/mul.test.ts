import { describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import { MUL_CHUNK_ROWS } from '../../../src/backends/webgpu/mul.ts';
import { both, entriesRun, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

// forward and same-shape backwardB are one f32 product of f32 inputs: one rounding (≤ 6e-8 relative).
const ELEMENTWISE_TOLERANCE = 1e-6;
// The broadcast backwardB sums up to 53800 products in f32 (chunks of MUL_CHUNK_ROWS, then the chunk sums): a long
// reduction whose rounding grows with its length (measured 5e-7 at the SE shape), hence the looser bound.
const REDUCTION_TOLERANCE = 1e-4;

// a's shape, whether b is the (B, C) gate (else b has a's shape: the vec4 `product`, with a tail for sizes not
// multiples of 4), and whether the gate's slabs a[n] are whole vec4s (at least C of them), so that the
// channel-aligned vec4 walks run instead of the scalar chunk grid. Middle-axis
// sizes M around MUL_CHUNK_ROWS: M = 1, exactly one chunk (partial writes db directly), one row into a second chunk,
// the SE gate's 188·117 rows, and 2·269·200 rows, up to 53800-term sums; vec4 slabs with odd C = 13 and with C = 12.
const cases: [shape: number[], broadcast: boolean, vec4: boolean][] = [
  [[1], false, false],
  [[100_003], false, false],
  [[3, 5, 7], false, false],
  [[2, 65, 3], false, false],
  [[1, 1, 1], true, false],
  [[2, 5, 3], true, false],
  [[3, 1, 65], true, false],
  [[3, 4, 13], true, true],
  [[2, 9, 12], true, true],
  [[5, MUL_CHUNK_ROWS, 1], true, true],
  [[4, MUL_CHUNK_ROWS + 1, 7], true, false],
  [[2, 188, 117, 39], true, true],
  [[2, 269, 200, 39], true, true],
];

describe('mul family on WebGPU against the reference backend', { timeout: 120_000 }, () => {
  const gpuTensors = useGpuTensors();

  test.each(cases)('a %j, b broadcast %s, vec4 walks %s: forward, da = forward(dy, b), backwardB', async (shape, broadcast, vec4) => {
    const g = gpuTensors();
    const mul = createWebGpuBackend(g).mul;
    const bShape = broadcast ? [shape[0]!, shape.at(-1)!] : shape;
    const a = both(g, randomValues(shape, 1), shape, 'a');
    const b = both(g, randomValues(bShape, 2), bShape, 'b');
    const dy = both(g, randomValues(shape, 3), shape, 'dy');
    const forward = entriesRun(g, () => mul.forward(a.gpu, b.gpu));
    const product = ['mul.product', 'mul.productTail'];
    expect(forward.entries[0]).toBeOneOf(broadcast ? [vec4 ? 'mul.forwardVec4' : 'mul.forward'] : product);
    expect(await relativeError(g, forward.result, reference.mul.forward(a.ref, b.ref))).toBeLessThanOrEqual(
      ELEMENTWISE_TOLERANCE,
    );
    expect(await relativeError(g, mul.forward(dy.gpu, b.gpu), reference.mul.forward(dy.ref, b.ref))).toBeLessThanOrEqual(
      ELEMENTWISE_TOLERANCE,
    );
    const backward = entriesRun(g, () => mul.backwardB(dy.gpu, a.gpu, b.gpu));
    expect(backward.entries[0]).toBeOneOf(broadcast ? [vec4 ? 'mul.partialVec4' : 'mul.partial'] : product);
    const db = backward.result;
    expect(db.shape).toEqual(bShape);
    expect(await relativeError(g, db, reference.mul.backwardB(dy.ref, a.ref, b.ref))).toBeLessThanOrEqual(
      broadcast ? REDUCTION_TOLERANCE : ELEMENTWISE_TOLERANCE,
    );
    g.releaseTransients();
  });
});
