import { describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

// Part shapes and the axis: along the first, a middle and the last axis; the TF-fusion paths (B, T, 39, 39)
// ×3 along frequency; the skip (B, T, 117) + (B, T, 39); the n pooled vectors (B, 1, 39) ×8 along axis 1;
// one part alone; 64 rows (two whole chunks); a width-1 part. Copies only, so every comparison is exact.
const cases: [parts: number[][], axis: number][] = [
  [[[1, 3], [4, 3]], 0],
  [[[2, 3, 4], [2, 1, 4], [2, 6, 4]], 1],
  [[[2, 3, 5], [2, 3, 1]], 2],
  [[[2, 5, 39, 39], [2, 5, 39, 39], [2, 5, 39, 39]], 2],
  [[[3, 188, 117], [3, 188, 39]], 2],
  [Array.from({ length: 8 }, () => [4, 1, 39]), 1],
  [[[7, 65]], 1],
  [[[64, 3], [64, 2]], 1],
  [[[1, 1, 1, 1], [1, 1, 1, 1]], 3],
];

describe('concat family on WebGPU against the reference backend', () => {
  const gpuTensors = useGpuTensors();

  test.each(cases)('parts %j along axis %i: forward, and slice gives each part back', async (shapes, axis) => {
    const g = gpuTensors();
    const concat = createWebGpuBackend(g).concat;
    const parts = shapes.map((shape, p) => both(g, randomValues(shape, p + 1), shape, `parts[${p}]`));
    const gpuParts = parts.map((p) => p.gpu);
    const refParts = parts.map((p) => p.ref);
    const y = { gpu: concat.forward(gpuParts, { axis }), ref: reference.concat.forward(refParts, { axis }) };
    expect(await relativeError(g, y.gpu, y.ref)).toBe(0);
    let start = 0;
    for (const part of parts) {
      const slice = { axis, start, width: part.ref.shape[axis]! };
      const got = concat.slice(y.gpu, slice);
      expect(await relativeError(g, got, reference.concat.slice(y.ref, slice))).toBe(0);
      expect(await relativeError(g, got, part.ref)).toBe(0);
      start += slice.width;
    }
    g.releaseTransients();
  });

  test('one tensor twice, and a slice straddling two parts', async () => {
    const g = gpuTensors();
    const concat = createWebGpuBackend(g).concat;
    const x = both(g, randomValues([3, 5, 2], 9), [3, 5, 2], 'x');
    const y = { gpu: concat.forward([x.gpu, x.gpu], { axis: 1 }), ref: reference.concat.forward([x.ref, x.ref], { axis: 1 }) };
    expect(await relativeError(g, y.gpu, y.ref)).toBe(0);
    const slice = { axis: 1, start: 3, width: 4 };
    expect(await relativeError(g, concat.slice(y.gpu, slice), reference.concat.slice(y.ref, slice))).toBe(0);
    g.releaseTransients();
  });
});
