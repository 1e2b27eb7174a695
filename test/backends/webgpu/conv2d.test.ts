import { describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import { MAX_WORKGROUPS_PER_DIMENSION, WORKGROUP_SIZE } from '../../../src/backends/webgpu/dispatch-size.ts';
import type { Conv2dAttrs } from '../../../src/runtime/backend.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

// Tolerances: forward sums at most KH·KW = 11 products and backwardInput at most KH·KW·C = 429, of values in
// [−1, 1): short f32 sums, 1e-5. backwardWeight sums over every pixel (B·T·F = 29 328 in the msse-golden case,
// cut into chunks): a long f32 reduction, 1e-4.
const SHORT_SUM = 1e-5;
const LONG_SUM = 1e-4;

interface Case {
  readonly name: string;
  /** x (B, T, F) */
  readonly x: readonly [number, number, number];
  readonly chans: number;
  readonly kernel: Conv2dAttrs;
}

// Shapes chosen to break the tiling and the padding: all ones, T, F and C not multiples of the tile (partial tiles),
// the three TF-fusion kernels with T or F smaller than the kernel (padding on both sides of every pixel), even
// kernels (TF's asymmetric 'same' padding) with the forward tile along frequency (2x4) and along time (4x2), and
// the msse-golden shape (many chunks, many workgroups). backwardWeightPartial sums blocks of 4 pixels along the
// slide axis (time for KH > KW) in bands, 3 windows of 4 slide taps per invocation, channels strided by ⌈C/4⌉:
// 5x1 with T = 18 (a partial time block, chunks of 2 bands crossing a sample boundary) and kernels of more than
// 3 windows (5x5, 7x3: several tap tiles, the last with empty windows).
const cases: readonly Case[] = [
  { name: 'B=1 T=1 F=1 C=1 1x1', x: [1, 1, 1], chans: 1, kernel: { kh: 1, kw: 1 } },
  { name: 'B=2 T=5 F=7 C=6 3x3', x: [2, 5, 7], chans: 6, kernel: { kh: 3, kw: 3 } },
  { name: 'B=2 T=4 F=39 C=39 11x1 (T < KH)', x: [2, 4, 39], chans: 39, kernel: { kh: 11, kw: 1 } },
  { name: 'B=3 T=6 F=5 C=39 1x9 (F < KW)', x: [3, 6, 5], chans: 39, kernel: { kh: 1, kw: 9 } },
  { name: 'B=1 T=6 F=9 C=5 2x4 (even kernel)', x: [1, 6, 9], chans: 5, kernel: { kh: 2, kw: 4 } },
  { name: 'B=2 T=10 F=3 C=7 4x2 (even, taller than wide)', x: [2, 10, 3], chans: 7, kernel: { kh: 4, kw: 2 } },
  { name: 'B=2 T=13 F=39 C=39 3x3', x: [2, 13, 39], chans: 39, kernel: { kh: 3, kw: 3 } },
  { name: 'B=3 T=18 F=2 C=5 5x1 (partial time block, chunks across samples)', x: [3, 18, 2], chans: 5, kernel: { kh: 5, kw: 1 } },
  { name: 'B=2 T=9 F=11 C=6 5x5 (4 tap tiles)', x: [2, 9, 11], chans: 6, kernel: { kh: 5, kw: 5 } },
  { name: 'B=2 T=13 F=4 C=9 7x3 (2 tap tiles along time)', x: [2, 13, 4], chans: 9, kernel: { kh: 7, kw: 3 } },
  { name: 'msse-golden B=4 T=188 F=39 C=39 11x1', x: [4, 188, 39], chans: 39, kernel: { kh: 11, kw: 1 } },
  { name: 'msse-golden B=4 T=188 F=39 C=39 1x9', x: [4, 188, 39], chans: 39, kernel: { kh: 1, kw: 9 } },
];

describe('conv2d family on WebGPU against the reference backend', () => {
  const gpuTensors = useGpuTensors();

  test.each(cases)('$name: forward, backwardInput, backwardWeight', async ({ x: xShape, chans, kernel }) => {
    const g = gpuTensors();
    const conv2d = createWebGpuBackend(g).conv2d;
    const wShape = [chans, 1, kernel.kh, kernel.kw];
    const yShape = [...xShape, chans];
    const x = both(g, randomValues(xShape, 31), xShape, 'x');
    const w = both(g, randomValues(wShape, 32), wShape, 'w');
    const b = both(g, randomValues([chans], 33), [chans], 'b');
    const dy = both(g, randomValues(yShape, 34), yShape, 'dy');

    const y = { gpu: conv2d.forward(x.gpu, w.gpu, b.gpu, kernel), ref: reference.conv2d.forward(x.ref, w.ref, b.ref, kernel) };
    expect(await relativeError(g, y.gpu, y.ref), 'forward').toBeLessThanOrEqual(SHORT_SUM);
    const dx = { gpu: conv2d.backwardInput(dy.gpu, w.gpu, kernel), ref: reference.conv2d.backwardInput(dy.ref, w.ref, kernel) };
    expect(await relativeError(g, dx.gpu, dx.ref), 'backwardInput').toBeLessThanOrEqual(SHORT_SUM);
    const dw = { gpu: conv2d.backwardWeight(dy.gpu, x.gpu, kernel), ref: reference.conv2d.backwardWeight(dy.ref, x.ref, kernel) };
    expect(await relativeError(g, dw.gpu, dw.ref), 'backwardWeight').toBeLessThanOrEqual(LONG_SUM);
    g.releaseTransients();
  });

  // backwardInput runs one invocation per pixel: F = 64, C = 1 and enough rows for more workgroups than one
  // dispatch dimension holds (the 2-D split over y).
  test('backwardInput over more than 65535 workgroups (B=1 T=65600 F=64 C=1 3x3)', async () => {
    const g = gpuTensors();
    const kernel = { kh: 3, kw: 3 };
    const time = Math.ceil((MAX_WORKGROUPS_PER_DIMENSION * WORKGROUP_SIZE) / 64) + 64;
    const dyShape = [1, time, 64, 1];
    const dy = both(g, randomValues(dyShape, 41), dyShape, 'dy');
    const w = both(g, randomValues([1, 1, 3, 3], 42), [1, 1, 3, 3], 'w');
    const dx = { gpu: createWebGpuBackend(g).conv2d.backwardInput(dy.gpu, w.gpu, kernel), ref: reference.conv2d.backwardInput(dy.ref, w.ref, kernel) };
    expect(await relativeError(g, dx.gpu, dx.ref)).toBeLessThanOrEqual(SHORT_SUM);
    g.releaseTransients();
    g.dispose(dy.gpu);
  });
});
