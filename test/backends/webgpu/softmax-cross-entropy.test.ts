import { describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import { smoothedTargets } from '../../../src/ops/softmax-cross-entropy.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

// f32 exp and log (a few ulp) over K ≤ 65 classes, then a mean of B ≤ 70 row losses: short sums.
const TOLERANCE = 1e-5;

/** Label-smoothed (0.1) one-hot targets for seeded labels. */
function targets(batch: number, classes: number, seed: number): Float32Array {
  const labels = randomValues([batch], seed, 0, classes).map(Math.floor);
  return Float32Array.from(smoothedTargets(labels, classes, 0.1));
}

// (B, K) and the logits' half-range: one class (loss 0, probs 1); EMO-DB's 7 classes at the golden batch and at
// batch 64; K = 65 past a workgroup; B = 70 rows (two workgroups of rows); logits up to ±80, where exp without
// the max subtracted would overflow f32.
const cases: [batch: number, classes: number, range: number][] = [
  [1, 1, 3],
  [4, 7, 3],
  [64, 7, 5],
  [3, 65, 2],
  [70, 3, 1],
  [5, 7, 80],
];

describe('softmax-cross-entropy family on WebGPU against the reference backend', () => {
  const gpuTensors = useGpuTensors();

  test.each(cases)('logits (%i, %i) in ±%i: forward loss and probs, backward', async (batch, classes, range) => {
    const g = gpuTensors();
    const kernels = createWebGpuBackend(g).softmaxCrossEntropy;
    const shape = [batch, classes];
    const logits = both(g, randomValues(shape, 1, -range, range), shape, 'logits');
    const target = both(g, targets(batch, classes, 2), shape, 'target');
    const dloss = both(g, Float32Array.of(0.75), [1], 'dloss');
    const got = kernels.forward(logits.gpu, target.gpu);
    const want = reference.softmaxCrossEntropy.forward(logits.ref, target.ref);
    expect(got.loss.shape).toEqual([1]);
    expect(await relativeError(g, got.loss, want.loss)).toBeLessThanOrEqual(TOLERANCE);
    expect(await relativeError(g, got.probs, want.probs)).toBeLessThanOrEqual(TOLERANCE);
    const dlogits = kernels.backward(dloss.gpu, got.probs, target.gpu);
    const wantDlogits = reference.softmaxCrossEntropy.backward(dloss.ref, want.probs, target.ref);
    expect(await relativeError(g, dlogits, wantDlogits)).toBeLessThanOrEqual(TOLERANCE);
    g.releaseTransients();
  });
});
