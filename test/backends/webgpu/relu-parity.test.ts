import { describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

// The pattern every family's parity test follows: same f32 inputs on both backends, poisoned GPU outputs,
// e = max|got − ref| / max|ref|.
describe('relu family on WebGPU against the reference backend', () => {
  const gpuTensors = useGpuTensors();

  // 6 elements: one vec4 and a tail of 2 in a 24-byte buffer (the tail entry points use scalar bindings).
  test.each([[[1]], [[6]], [[3, 5, 7]], [[2, 65, 3]]])('shape %j: forward and backward exact', async (shape) => {
    const g = gpuTensors();
    const relu = createWebGpuBackend(g).relu;
    const x = both(g, randomValues(shape, 1), shape, 'x');
    const dy = both(g, randomValues(shape, 2), shape, 'dy');
    const y = { gpu: relu.forward(x.gpu), ref: reference.relu.forward(x.ref) };
    expect(await relativeError(g, y.gpu, y.ref)).toBe(0);
    const dx = { gpu: relu.backward(dy.gpu, y.gpu), ref: reference.relu.backward(dy.ref, y.ref) };
    expect(await relativeError(g, dx.gpu, dx.ref)).toBe(0);
    g.releaseTransients();
  });
});

describe('uniform cache overflow while a step is recorded', () => {
  const gpuTensors = useGpuTensors();

  // Regression: 9 epochs into EMO-DB training, the cache of Params buffers filled mid-step (Adam's Params change
  // every step), cleared itself and destroyed buffers the unsubmitted command buffer still used.
  test('more distinct Params than the cache holds, in one recording, still compute', async () => {
    const g = gpuTensors();
    const relu = createWebGpuBackend(g).relu;
    const outputs = Array.from({ length: 4200 }, (_, n) => {
      const shape = [n + 1];
      return { y: relu.forward(g.upload(randomValues(shape, n), shape, 'x', { transient: true })), n };
    });
    const last = outputs.at(-1)!;
    const values = await g.read(last.y);
    expect(values.length).toBe(last.n + 1);
    expect(values.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
    g.releaseTransients();
  }, 120_000);
});
