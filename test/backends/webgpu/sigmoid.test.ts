import { describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

// exp in f32 (a few ulp on llvmpipe and GPUs) plus two roundings: well under 1e-5 of max |y| ≈ 1.
const TOLERANCE = 1e-5;

describe('sigmoid family on WebGPU against the reference backend', () => {
  const gpuTensors = useGpuTensors();

  // Sizes 1, 6, 65, 105, 390 leave 1, 2, 1, 1, 2 elements past the whole vec4s (the …Tail entry points).
  // Inputs in [−12, 12) reach both flat tails; the backward gets the GPU's own y, as the op passes it.
  test.each([[[1]], [[2, 3]], [[65]], [[3, 5, 7]], [[2, 65, 3]], [[4, 188, 39]]])('shape %j: forward and backward', async (shape) => {
    const g = gpuTensors();
    const sigmoid = createWebGpuBackend(g).sigmoid;
    const x = both(g, randomValues(shape, 1, -12, 12), shape, 'x');
    const dy = both(g, randomValues(shape, 2), shape, 'dy');
    const y = { gpu: sigmoid.forward(x.gpu), ref: reference.sigmoid.forward(x.ref) };
    expect(await relativeError(g, y.gpu, y.ref)).toBeLessThanOrEqual(TOLERANCE);
    const dx = { gpu: sigmoid.backward(dy.gpu, y.gpu), ref: reference.sigmoid.backward(dy.ref, y.ref) };
    expect(await relativeError(g, dx.gpu, dx.ref)).toBeLessThanOrEqual(TOLERANCE);
    g.releaseTransients();
  });

  test('x = ±100: y is exactly 0 and 1 (exp overflow gives 0, not NaN), and dx is 0', async () => {
    const g = gpuTensors();
    const sigmoid = createWebGpuBackend(g).sigmoid;
    const y = sigmoid.forward(g.upload([-100, 100], [2], 'x'));
    expect([...(await g.read(y))]).toEqual([0, 1]);
    expect([...(await g.read(sigmoid.backward(g.upload([3, 3], [2], 'dy'), y)))]).toEqual([0, 0]);
    g.releaseTransients();
  });
});
