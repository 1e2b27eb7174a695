import { describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

describe('reverse-time family on WebGPU against the reference backend', () => {
  const gpuTensors = useGpuTensors();

  // T = 1 (a fixed point), rank 2 (R = 1), the network's (B, T, 39), rank 4 with odd axes, 65 rows of one value.
  test.each([[[1, 1]], [[2, 1, 65]], [[3, 7]], [[3, 188, 39]], [[4, 7, 3, 5]], [[1, 65, 1]]])(
    'shape %j: forward exact, and applied twice gives x back',
    async (shape) => {
      const g = gpuTensors();
      const reverse = createWebGpuBackend(g).reverseTime;
      const x = both(g, randomValues(shape, 1), shape, 'x');
      const y = reverse.forward(x.gpu);
      expect(await relativeError(g, y, reference.reverseTime.forward(x.ref))).toBe(0);
      expect(await relativeError(g, reverse.forward(y), x.ref)).toBe(0);
      g.releaseTransients();
    },
  );
});
