import { describe, expect, test } from 'vitest';
import { MAX_WORKGROUPS_PER_DIMENSION, WORKGROUP_SIZE } from '../../../src/backends/webgpu/dispatch-size.ts';
import { MUL_CHUNK_ROWS, mulKernels } from '../../../src/backends/webgpu/mul.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

// forward and same-shape backwardB are one f32 product of f32 inputs: one rounding (≤ 6e-8 relative).
const ELEMENTWISE_TOLERANCE = 1e-6;
// The broadcast backwardB sums up to 53800 products in f32 (chunks of MUL_CHUNK_ROWS, then the chunk sums): a long
// reduction whose rounding grows with its length (measured 5e-7 at the SE shape), hence the looser bound.
const REDUCTION_TOLERANCE = 1e-4;

// One past the elements 65535 workgroups of 64 hold: same-shape b runs one invocation per element, so this
// forward must rebuild its index from gid.y.
const splitSize = MAX_WORKGROUPS_PER_DIMENSION * WORKGROUP_SIZE + 1;

// a's shape, and whether b is the (B, C) gate (else b has a's shape). Middle-axis sizes M around MUL_CHUNK_ROWS:
// M = 1, exactly one chunk (partial writes db directly), one row into a second chunk, the SE gate's 188·117 rows
// (the last chunk partial), and 2·269·200 rows, up to 53800-term sums.
const cases: [shape: number[], broadcast: boolean][] = [
  [[1], false],
  [[splitSize], false],
  [[3, 5, 7], false],
  [[2, 65, 3], false],
  [[1, 1, 1], true],
  [[2, 5, 3], true],
  [[3, 1, 65], true],
  [[5, MUL_CHUNK_ROWS, 1], true],
  [[4, MUL_CHUNK_ROWS + 1, 7], true],
  [[2, 188, 117, 39], true],
  [[2, 269, 200, 39], true],
];

describe('mul family on WebGPU against the reference backend', { timeout: 120_000 }, () => {
  const gpuTensors = useGpuTensors();

  test.each(cases)('a %j, b broadcast %s: forward, da = forward(dy, b), backwardB', async (shape, broadcast) => {
    const g = gpuTensors();
    const mul = mulKernels(g);
    const bShape = broadcast ? [shape[0]!, shape.at(-1)!] : shape;
    const a = both(g, randomValues(shape, 1), shape, 'a');
    const b = both(g, randomValues(bShape, 2), bShape, 'b');
    const dy = both(g, randomValues(shape, 3), shape, 'dy');
    expect(await relativeError(g, mul.forward(a.gpu, b.gpu), reference.mul.forward(a.ref, b.ref))).toBeLessThanOrEqual(
      ELEMENTWISE_TOLERANCE,
    );
    expect(await relativeError(g, mul.forward(dy.gpu, b.gpu), reference.mul.forward(dy.ref, b.ref))).toBeLessThanOrEqual(
      ELEMENTWISE_TOLERANCE,
    );
    const db = mul.backwardB(dy.gpu, a.gpu, b.gpu);
    expect(db.shape).toEqual(bShape);
    expect(await relativeError(g, db, reference.mul.backwardB(dy.ref, a.ref, b.ref))).toBeLessThanOrEqual(
      broadcast ? REDUCTION_TOLERANCE : ELEMENTWISE_TOLERANCE,
    );
    g.releaseTransients();
  });
});
