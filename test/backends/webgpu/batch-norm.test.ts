import { describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import type { Shape } from '../../../src/runtime/tensor.ts';
import { both, entriesRun, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

interface Case {
  readonly name: string;
  readonly shape: Shape;
  /** x is uniform in [lo, hi): an offset keeps the means away from 0, where e = max|diff| / max|ref| means little. */
  readonly lo: number;
  readonly hi: number;
}

const cases: Case[] = [
  { name: 'one element (1,1)', shape: [1, 1], lo: -1, hi: 3 },
  // vec4 lanes repeat channels when C < 4; 6 and 105 elements leave tails of 2 and 1 (the …Tail entry points),
  // and a 6-element tensor sits in a 24-byte buffer, shorter than two vec4s.
  { name: 'C = 2, tail only past one vec4 (3,2)', shape: [3, 2], lo: -1, hi: 3 },
  { name: 'C = 3 (5,7,3): 26 vec4s and a tail of 1', shape: [5, 7, 3], lo: -1, hi: 3 },
  { name: 'C = 4 (9,4): no tail', shape: [9, 4], lo: -1, hi: 3 },
  { name: 'size-1 axes, 65 channels (1,1,3,65)', shape: [1, 1, 3, 65], lo: -1, hi: 3 },
  { name: 'TAB (4,188,39): 752 rows, 3 chunks', shape: [4, 188, 39], lo: -1, hi: 3 },
  { name: 'TF path (2,37,39,39): 2886 rows, odd T', shape: [2, 37, 39, 39], lo: -1, hi: 3 },
  // 88k rows: the chunked sums take three passes (344 chunks, then 2, then 1).
  { name: 'long (12,188,39,48)', shape: [12, 188, 39, 48], lo: -1, hi: 3 },
];

const eps = 1e-3;

// Tolerances: the statistics and gradient sums add up to 88k rows in f32 (chunks of ≤ 256 terms, then a tree),
// and y, dx depend on them, so all are held to 1e-4 (long reductions); updateRunning is elementwise.
describe('batch-norm family on WebGPU against the reference backend', () => {
  const gpuTensors = useGpuTensors();

  test.each(cases)('$name: forwardTrain, backward, forwardInference', async ({ shape, lo, hi }) => {
    const g = gpuTensors();
    const kernels = createWebGpuBackend(g).batchNorm;
    const chans = [shape[shape.length - 1]!];
    const x = both(g, randomValues(shape, 21, lo, hi), shape, 'x');
    const gamma = both(g, randomValues(chans, 22, 0.5, 1.5), chans, 'gamma');
    const beta = both(g, randomValues(chans, 23), chans, 'beta');
    const dy = both(g, randomValues(shape, 24), shape, 'dy');

    const gpu = kernels.forwardTrain(x.gpu, gamma.gpu, beta.gpu, { eps });
    const ref = reference.batchNorm.forwardTrain(x.ref, gamma.ref, beta.ref, { eps });
    expect(await relativeError(g, gpu.mean, ref.mean), 'mean').toBeLessThanOrEqual(1e-5);
    expect(await relativeError(g, gpu.variance, ref.variance), 'variance').toBeLessThanOrEqual(1e-5);
    expect(await relativeError(g, gpu.y, ref.y), 'y').toBeLessThanOrEqual(1e-4);

    const gpuBack = kernels.backward(dy.gpu, x.gpu, gamma.gpu, gpu.mean, gpu.variance, { eps });
    const refBack = reference.batchNorm.backward(dy.ref, x.ref, gamma.ref, ref.mean, ref.variance, { eps });
    expect(await relativeError(g, gpuBack.dbeta, refBack.dbeta), 'dbeta').toBeLessThanOrEqual(1e-4);
    expect(await relativeError(g, gpuBack.dgamma, refBack.dgamma), 'dgamma').toBeLessThanOrEqual(1e-4);
    expect(await relativeError(g, gpuBack.dx, refBack.dx), 'dx').toBeLessThanOrEqual(1e-4);

    // Running statistics as inputs: a mean and a positive variance per channel, the same on both backends.
    const runningMean = both(g, randomValues(chans, 25), chans, 'runningMean');
    const runningVar = both(g, randomValues(chans, 26, 0.5, 2), chans, 'runningVar');
    const yInference = {
      gpu: kernels.forwardInference(x.gpu, gamma.gpu, beta.gpu, runningMean.gpu, runningVar.gpu, { eps }),
      ref: reference.batchNorm.forwardInference(x.ref, gamma.ref, beta.ref, runningMean.ref, runningVar.ref, { eps }),
    };
    expect(await relativeError(g, yInference.gpu, yInference.ref), 'forwardInference y').toBeLessThanOrEqual(1e-5);
    g.releaseTransients();
  });

  // From Keras's initial statistics (mean 0, variance 1), two steps. After the first, r_mean = (1 − m)·μ alone, so
  // 1 − m computed in f32 from f32(0.99) (9.5e-7 off) would show; 3e-7 leaves room for f32 rounding only.
  test.each([
    ['biased (3-D)', 1],
    ['unbiased (4-D), N = 2886', 2886 / 2885],
  ])('updateRunning, %s variance: in place, momentum 0.99, two steps', async (_, varianceScale) => {
    const g = gpuTensors();
    const chans = [39];
    const attrs = { momentum: 0.99, varianceScale };
    const runningMean = both(g, new Float32Array(39), chans, 'runningMean');
    const runningVar = both(g, new Float32Array(39).fill(1), chans, 'runningVar');
    for (const seed of [31, 32]) {
      const mean = both(g, randomValues(chans, seed), chans, 'mean');
      const variance = both(g, randomValues(chans, seed + 10, 0.5, 2), chans, 'variance');
      createWebGpuBackend(g).batchNorm.updateRunning(runningMean.gpu, runningVar.gpu, mean.gpu, variance.gpu, attrs);
      reference.batchNorm.updateRunning(runningMean.ref, runningVar.ref, mean.ref, variance.ref, attrs);
      expect(await relativeError(g, runningMean.gpu, runningMean.ref), `running mean, seed ${seed}`).toBeLessThanOrEqual(3e-7);
      expect(await relativeError(g, runningVar.gpu, runningVar.ref), `running variance, seed ${seed}`).toBeLessThanOrEqual(3e-7);
    }
    g.releaseTransients();
  });

  // One-pass E[x²] − μ² in f32 would lose every digit of σ² ≈ 1/12 here (x² ≈ 1e6 has an ulp of 0.06); two
  // passes keep it. y is not compared: μ itself rounds to f32 (half an ulp of 1000 is 3e-5, 1e-4 of σ), so
  // x − μ carries that error whatever the kernel does.
  test('offset 1000 (3,50,7): the two-pass variance stays accurate', async () => {
    const g = gpuTensors();
    const shape = [3, 50, 7];
    const x = both(g, randomValues(shape, 27, 1000, 1001), shape, 'x');
    const gamma = both(g, randomValues([7], 22, 0.5, 1.5), [7], 'gamma');
    const beta = both(g, randomValues([7], 23), [7], 'beta');
    const gpu = createWebGpuBackend(g).batchNorm.forwardTrain(x.gpu, gamma.gpu, beta.gpu, { eps });
    const ref = reference.batchNorm.forwardTrain(x.ref, gamma.ref, beta.ref, { eps });
    expect(await relativeError(g, gpu.mean, ref.mean), 'mean').toBeLessThanOrEqual(1e-6);
    expect(await relativeError(g, gpu.variance, ref.variance), 'variance').toBeLessThanOrEqual(1e-5);
    g.releaseTransients();
  });

  // The layers' BN → ReLU → dropout tail: one pass (spatial-dropout.normalizedVec4) where the slabs x[b] are whole
  // vec4s (the TF path and TAB shapes at T = 36 and 188), else normalize then reluForward (slabs of 37·39·39 and
  // of 21 floats).
  test.each([
    { shape: [2, 36, 39, 39], fused: true },
    { shape: [2, 37, 39, 39], fused: false },
    { shape: [4, 188, 39], fused: true },
    { shape: [3, 4, 13], fused: true },
    { shape: [5, 7, 3], fused: false },
  ])('forwardTrain with a dropout tail, x $shape (one pass: $fused)', async ({ shape, fused }) => {
    const g = gpuTensors();
    const chans = shape.at(-1)!;
    const x = both(g, randomValues(shape, 41, -1, 3), shape, 'x');
    const gamma = both(g, randomValues([chans], 42, 0.5, 1.5), [chans], 'gamma');
    const beta = both(g, randomValues([chans], 43), [chans], 'beta');
    const tail = { seed: 46, stream: 2, step: 9, keepBelow: Math.round(0.8 * 2 ** 32), scale: 1 / 0.8 };
    const { result: gpu, entries } = entriesRun(g, () => createWebGpuBackend(g).batchNorm.forwardTrain(x.gpu, gamma.gpu, beta.gpu, { eps }, tail));
    expect(entries.includes('spatial-dropout.normalizedVec4')).toBe(fused);
    expect(entries.includes('batch-norm.normalize')).toBe(!fused);
    const ref = reference.batchNorm.forwardTrain(x.ref, gamma.ref, beta.ref, { eps }, tail);
    expect(await relativeError(g, gpu.y, ref.y), 'y').toBeLessThanOrEqual(1e-4);
    const y = await g.read(gpu.y);
    expect(y.some((v) => v === 0) && y.some((v) => v > 0)).toBe(true);
    g.releaseTransients();
  });
});

