import { describe, expect, test } from 'vitest';
import { reluKernels } from '../../../src/backends/webgpu/relu.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

// The pattern every family's parity test follows: same f32 inputs on both backends, poisoned GPU outputs,
// e = max|got − ref| / max|ref|.
describe('relu family on WebGPU against the reference backend', () => {
  const gpuTensors = useGpuTensors();

  test.each([[[1]], [[3, 5, 7]], [[2, 65, 3]]])('shape %j: forward and backward exact', async (shape) => {
    const g = gpuTensors();
    const relu = reluKernels(g);
    const x = both(g, randomValues(shape, 1), shape, 'x');
    const dy = both(g, randomValues(shape, 2), shape, 'dy');
    const y = { gpu: relu.forward(x.gpu), ref: reference.relu.forward(x.ref) };
    expect(await relativeError(g, y.gpu, y.ref)).toBe(0);
    const dx = { gpu: relu.backward(dy.gpu, y.gpu), ref: reference.relu.backward(dy.ref, y.ref) };
    expect(await relativeError(g, dx.gpu, dx.ref)).toBe(0);
    g.releaseTransients();
  });
});
