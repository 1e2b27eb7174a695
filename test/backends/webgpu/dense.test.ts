import { describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import { sumChunks } from '../../../src/backends/webgpu/dense.ts';
import { MAX_WORKGROUPS_PER_DIMENSION, WORKGROUP_SIZE } from '../../../src/backends/webgpu/dispatch-size.ts';
import { numElements, type Shape } from '../../../src/runtime/tensor.ts';
import { both, entriesRun, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

// Tolerances: forward and backwardInput sum at most 156 products of values in [−1, 1): f32 rounding stays near
// 1e-7 relative, so 1e-5. backwardWeight sums over every row (87 984 in the 1×1-conv case, cut into chunks):
// a long f32 reduction, so 1e-4.
const SHORT_SUM = 1e-5;
const LONG_SUM = 1e-4;

interface Case {
  readonly name: string;
  readonly x: Shape;
  readonly w: Shape;
  /** Out = 1 and R a multiple of 4: the vec4 `…Single` entry points, not the 4×4 tiles. */
  readonly single?: boolean;
}

// Shapes chosen to break the 4×4 tiling: size-1 everything, rows and columns not multiples of 4 (partial tiles
// on both edges), Out = 1 (the 1×1 conv), In larger than Out and the reverse, the network's own layers, and a
// row count large enough for many chunks and more than one workgroup in every pass.
const cases: readonly Case[] = [
  { name: 'R=1 In=1 Out=1', x: [1, 1], w: [1, 1] },
  { name: 'R=15 In=7 Out=6 (3-D x)', x: [3, 5, 7], w: [6, 7] },
  { name: '1x1 conv B=2 T=3 3F=117 C=39 -> 1', x: [2, 3, 117, 39], w: [1, 39, 1, 1] },
  { name: 'conv_in B=2 T=9 156 -> 39', x: [2, 9, 156], w: [39, 156, 1] },
  { name: 'SE fc B=4 39 -> 39', x: [4, 39], w: [39, 39] },
  { name: 'head B=5 39 -> 7', x: [5, 39], w: [7, 39] },
  { name: 'R=9 In=2 Out=13', x: [9, 2], w: [13, 2] },
  { name: '1x1 conv msse-golden B=4 T=188 (many chunks)', x: [4, 188, 117, 39], w: [1, 39, 1, 1], single: true },
  // The Out = 1 vec4 blocks of 4 rows: In = 1 (a lane per row), 2 (two rows per vec4), 4 (rows on vec4 bounds),
  // 5 and 39 (rows straddling vec4s), one block and several.
  { name: 'Out=1 R=4 In=1', x: [4, 1], w: [1, 1], single: true },
  { name: 'Out=1 R=8 In=2', x: [2, 4, 2], w: [1, 2], single: true },
  { name: 'Out=1 R=12 In=4', x: [12, 4], w: [1, 4], single: true },
  { name: 'Out=1 R=12 In=5', x: [3, 4, 5], w: [1, 5], single: true },
  { name: 'Out=1 R=4 In=39', x: [1, 4, 39], w: [1, 39, 1, 1], single: true },
];

describe('dense family on WebGPU against the reference backend', () => {
  const gpuTensors = useGpuTensors();

  test.each(cases)('$name: forward, backwardInput, backwardWeight', async ({ x: xShape, w: wShape, single = false }) => {
    const g = gpuTensors();
    const dense = createWebGpuBackend(g).dense;
    const cout = wShape[0]!;
    const yShape = [...xShape.slice(0, -1), cout];
    const x = both(g, randomValues(xShape, 11), xShape, 'x');
    const w = both(g, randomValues(wShape, 12), wShape, 'w');
    const b = both(g, randomValues([cout], 13), [cout], 'b');
    const dy = both(g, randomValues(yShape, 14), yShape, 'dy');

    const path = (entry: string): string => `dense.${entry}${single ? 'Single' : ''}`;
    const forward = entriesRun(g, () => dense.forward(x.gpu, w.gpu, b.gpu));
    expect(forward.entries.at(-1)).toBe(path('forward'));
    const y = { gpu: forward.result, ref: reference.dense.forward(x.ref, w.ref, b.ref) };
    expect(await relativeError(g, y.gpu, y.ref), 'forward').toBeLessThanOrEqual(SHORT_SUM);
    const backwardInput = entriesRun(g, () => dense.backwardInput(dy.gpu, w.gpu));
    expect(backwardInput.entries.at(-1)).toBe(path('backwardInput'));
    const dx = { gpu: backwardInput.result, ref: reference.dense.backwardInput(dy.ref, w.ref) };
    expect(await relativeError(g, dx.gpu, dx.ref), 'backwardInput').toBeLessThanOrEqual(SHORT_SUM);
    const backwardWeight = entriesRun(g, () => dense.backwardWeight(dy.gpu, x.gpu));
    expect(backwardWeight.entries[0]).toBe(single ? 'dense.backwardWeightSingle' : 'dense.backwardWeightPartial');
    const dw = { gpu: backwardWeight.result, ref: reference.dense.backwardWeight(dy.ref, x.ref) };
    expect(await relativeError(g, dw.gpu, dw.ref), 'backwardWeight').toBeLessThanOrEqual(LONG_SUM);
    g.releaseTransients();
  });

  // One weight row per sample (the SE-gated 1×1 conv): the vec4 blocks when each sample's rows are whole blocks of 4
  // (M a multiple of 4; In 1, 2, 5, 39), else the gate product and the shared-weight kernels (M = 3, 7). An
  // invocation takes four blocks of one sample, j + q·⌈SB/4⌉: SB = 1, 2, 5 and 1833 blocks per sample leave 3, 2,
  // 1-2 and 0-1 of them past the sample's end.
  test.each([
    { x: [3, 4, 5], vec4: true },
    { x: [3, 20, 39], vec4: true },
    { x: [2, 8, 2], vec4: true },
    { x: [4, 4, 1], vec4: true },
    { x: [2, 188, 39, 39], vec4: true },
    { x: [2, 3, 7], vec4: false },
    { x: [3, 7, 1, 39], vec4: false },
  ])('per-sample weights, x $x: forward, backwardInput, backwardWeight (vec4 blocks: $vec4)', async ({ x: xShape, vec4 }) => {
    const g = gpuTensors();
    const dense = createWebGpuBackend(g).dense;
    const [batch, cin] = [xShape[0]!, xShape.at(-1)!];
    const yShape = [...xShape.slice(0, -1), 1];
    const x = both(g, randomValues(xShape, 31), xShape, 'x');
    const w = both(g, randomValues([batch, cin], 32), [batch, cin], 'w');
    const b = both(g, randomValues([1], 33), [1], 'b');
    const dy = both(g, randomValues(yShape, 34), yShape, 'dy');
    const forward = entriesRun(g, () => dense.forwardPerSample(x.gpu, w.gpu, b.gpu));
    expect(forward.entries.includes('dense.forwardSingle')).toBe(vec4);
    expect(await relativeError(g, forward.result, reference.dense.forwardPerSample(x.ref, w.ref, b.ref)), 'forward').toBeLessThanOrEqual(SHORT_SUM);
    const backwardInput = entriesRun(g, () => dense.backwardInputPerSample(dy.gpu, w.gpu));
    expect(backwardInput.entries.includes('dense.backwardInputSingle')).toBe(vec4);
    const dx = reference.dense.backwardInputPerSample(dy.ref, w.ref);
    expect(await relativeError(g, backwardInput.result, dx), 'backwardInput').toBeLessThanOrEqual(SHORT_SUM);
    const backwardWeight = entriesRun(g, () => dense.backwardWeightPerSample(dy.gpu, x.gpu, w.gpu));
    expect(backwardWeight.entries.includes('dense.backwardWeightSingle')).toBe(vec4);
    const dw = reference.dense.backwardWeightPerSample(dy.ref, x.ref, w.ref);
    expect(await relativeError(g, backwardWeight.result, dw), 'backwardWeight').toBeLessThanOrEqual(LONG_SUM);
    g.releaseTransients();
  });

  // sumChunks also serves conv2d; here with more outputs than one dispatch dimension holds (2-D split over y).
  test('sumChunks of (3, n) with n over 65535 workgroups: exact column sums', async () => {
    const g = gpuTensors();
    const width = MAX_WORKGROUPS_PER_DIMENSION * WORKGROUP_SIZE + 77;
    const values = randomValues([3, width], 21);
    const partial = g.upload(values, [3, width], 'partial');
    const sums = await g.read(sumChunks(g, partial, [width], 'sums'));
    let worst = 0;
    for (let j = 0; j < width; j++) {
      const want = Math.fround(Math.fround(values[j]! + values[width + j]!) + values[2 * width + j]!);
      worst = Math.max(worst, Math.abs(sums[j]! - want));
    }
    expect(sums.length).toBe(numElements([width]));
    expect(worst).toBe(0);
    g.releaseTransients();
    g.dispose(partial);
  });
});
