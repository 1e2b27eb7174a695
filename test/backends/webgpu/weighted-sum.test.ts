import { describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

// forward sums n ≤ 10 terms, backwardInput is one product, backwardWeight sums B·C ≤ 2496 terms: all short
// f32 sums, a few 1e-7 relative at most.
const TOLERANCE = 1e-5;

// g (B, n, C): all axes 1; EMO-DB's n = 8 at the golden batch and at batch 64 (2496-term dw sums, > 1 workgroup
// for forward and backwardInput); IEMOCAP's n = 10 with odd B; C = 65 past a workgroup.
const shapes = [[1, 1, 1], [4, 8, 39], [64, 8, 39], [3, 10, 7], [2, 1, 65]];

describe('weighted-sum family on WebGPU against the reference backend', () => {
  const gpuTensors = useGpuTensors();

  test.each(shapes)('g (%i, %i, %i): forward, backwardInput, backwardWeight', async (batch, n, chans) => {
    const g = gpuTensors();
    const kernels = createWebGpuBackend(g).weightedSum;
    const vectors = both(g, randomValues([batch, n, chans], 1), [batch, n, chans], 'g');
    const w = both(g, randomValues([n], 2), [n], 'w');
    const dz = both(g, randomValues([batch, chans], 3), [batch, chans], 'dz');
    const z = kernels.forward(vectors.gpu, w.gpu);
    expect(await relativeError(g, z, reference.weightedSum.forward(vectors.ref, w.ref))).toBeLessThanOrEqual(TOLERANCE);
    const dg = kernels.backwardInput(dz.gpu, w.gpu);
    expect(await relativeError(g, dg, reference.weightedSum.backwardInput(dz.ref, w.ref))).toBeLessThanOrEqual(TOLERANCE);
    const dw = kernels.backwardWeight(dz.gpu, vectors.gpu);
    expect(await relativeError(g, dw, reference.weightedSum.backwardWeight(dz.ref, vectors.ref))).toBeLessThanOrEqual(TOLERANCE);
    g.releaseTransients();
  });
});
