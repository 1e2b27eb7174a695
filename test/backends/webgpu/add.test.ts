import { describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

// f32 inputs, so the float64 sum is exact and the GPU's differs by one f32 rounding (≤ 6e-8 relative).
const TOLERANCE = 1e-6;

describe('add family on WebGPU against the reference backend', () => {
  const gpuTensors = useGpuTensors();

  // Sizes with and without a tail (total % 4 elements), below and past a workgroup of vec4s, and a large odd one.
  // (relu, reduce-sum and adam test the > 65535-workgroup split; here it would take 33.6M elements.)
  const shapes = [[[1]], [[5]], [[63]], [[3, 5, 7]], [[2, 65, 3]], [[4, 188, 39]], [[1_000_003]]];
  test.each(shapes)('shape %j: forward', async (shape) => {
    const g = gpuTensors();
    const a = both(g, randomValues(shape, 1), shape, 'a');
    const b = both(g, randomValues(shape, 2), shape, 'b');
    const y = createWebGpuBackend(g).add.forward(a.gpu, b.gpu);
    expect(y.shape).toEqual(shape);
    expect(await relativeError(g, y, reference.add.forward(a.ref, b.ref))).toBeLessThanOrEqual(TOLERANCE);
    g.releaseTransients();
  });

  test('a tensor added to itself (one buffer bound twice read-only): y = 2a exactly', async () => {
    const g = gpuTensors();
    const a = both(g, randomValues([5, 13], 3), [5, 13], 'a');
    expect(await relativeError(g, createWebGpuBackend(g).add.forward(a.gpu, a.gpu), reference.add.forward(a.ref, a.ref))).toBe(0);
    g.releaseTransients();
  });
});
