import { describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import type { ReduceAttrs } from '../../../src/runtime/backend.ts';
import { numElements, type Shape } from '../../../src/runtime/tensor.ts';
import { both, entriesRun, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

interface Case {
  readonly name: string;
  readonly shape: Shape;
  readonly attrs: ReduceAttrs;
  /** Bound on e for forward: 1e-5 while one pass adds ≤ 256 terms, 1e-4 for the multi-pass sums over ~10⁵ rows. */
  readonly tolerance: number;
  /**
   * Whether forward starts with the channel-aligned vec4 walk (runs over 256 rows whose slabs are whole vec4s) and
   * whether backward is one (slabs of whole vec4s, at least inner of them); the others take the scalar grids.
   */
  readonly vec4: { readonly forward: boolean; readonly backward: boolean };
}

const scalar = { forward: false, backward: false };
const vec4 = { forward: true, backward: true };

const cases: Case[] = [
  { name: 'whole vector (5), inner = 1', shape: [5], attrs: { axis: 0, count: 1, scale: 1 }, tolerance: 1e-5, vec4: scalar },
  { name: 'all size-1 axes (1,1,1)', shape: [1, 1, 1], attrs: { axis: 1, count: 1, scale: 0.5 }, tolerance: 1e-5, vec4: scalar },
  { name: 'middle run (3,7,5,2), mean', shape: [3, 7, 5, 2], attrs: { axis: 1, count: 2, scale: 1 / 35 }, tolerance: 1e-5, vec4: scalar },
  { name: 'run ends the shape (4,3,300)', shape: [4, 3, 300], attrs: { axis: 1, count: 2, scale: 1 }, tolerance: 1e-5, vec4 },
  // 188 rows: one scalar pass forward; backward broadcasts over slabs of 188·39 floats, whole vec4s.
  {
    name: 'pooling over T (4,188,39)',
    shape: [4, 188, 39],
    attrs: { axis: 1, count: 1, scale: 1 / 188 },
    tolerance: 1e-5,
    vec4: { forward: false, backward: true },
  },
  // Long runs on either path: slabs of 301·7 = 2107 floats (not whole vec4s), two scalar passes; slabs of
  // 300·13 floats (whole vec4s, odd inner 13): the vec4 walk's 20 partial rows, then one scalar pass.
  { name: 'long run, odd slabs (3,301,7)', shape: [3, 301, 7], attrs: { axis: 1, count: 1, scale: 1 }, tolerance: 1e-5, vec4: scalar },
  { name: 'long run, vec4 slabs (2,300,13)', shape: [2, 300, 13], attrs: { axis: 1, count: 1, scale: 0.25 }, tolerance: 1e-5, vec4 },
  // SE squeeze: 22k rows per sample; the vec4 walk, then two scalar passes.
  { name: 'SE mean (2,188,117,39)', shape: [2, 188, 117, 39], attrs: { axis: 1, count: 2, scale: 1 / (188 * 117) }, tolerance: 1e-4, vec4 },
  // A bias gradient over 117k rows: the vec4 walk (7336 partial rows), then two scalar passes.
  { name: 'bias gradient (16,188,39,8)', shape: [16, 188, 39, 8], attrs: { axis: 0, count: 3, scale: 1 }, tolerance: 1e-4, vec4 },
];

describe('reduce-sum family on WebGPU against the reference backend', () => {
  const gpuTensors = useGpuTensors();

  test.each(cases)('$name: forward and backward', async ({ shape, attrs, tolerance, vec4: paths }) => {
    const g = gpuTensors();
    const kernels = createWebGpuBackend(g).reduceSum;
    const x = both(g, randomValues(shape, 11), shape, 'x');
    const forward = entriesRun(g, () => kernels.forward(x.gpu, attrs));
    expect(forward.entries[0]).toBe(paths.forward ? 'reduce-sum.forwardVec4' : 'reduce-sum.forward');
    const y = { gpu: forward.result, ref: reference.reduceSum.forward(x.ref, attrs) };
    expect(await relativeError(g, y.gpu, y.ref)).toBeLessThanOrEqual(tolerance);
    const dy = both(g, randomValues(y.ref.shape, 12), y.ref.shape, 'dy');
    const backward = entriesRun(g, () => kernels.backward(dy.gpu, x.gpu, attrs));
    expect(backward.entries).toEqual([paths.backward ? 'reduce-sum.backwardVec4' : 'reduce-sum.backward']);
    const dx = { gpu: backward.result, ref: reference.reduceSum.backward(dy.ref, x.ref, attrs) };
    // One f32 product per element.
    expect(await relativeError(g, dx.gpu, dx.ref)).toBeLessThanOrEqual(1e-6);
    // The same broadcast added to a gradient from elsewhere, in the same walk.
    const addend = both(g, randomValues(shape, 14), shape, 'addend');
    const adding = entriesRun(g, () => kernels.backward(dy.gpu, x.gpu, attrs, addend.gpu));
    expect(adding.entries).toEqual([paths.backward ? 'reduce-sum.backwardAddVec4' : 'reduce-sum.backwardAdd']);
    const sum = { gpu: adding.result, ref: reference.reduceSum.backward(dy.ref, x.ref, attrs, addend.ref) };
    expect(await relativeError(g, sum.gpu, sum.ref)).toBeLessThanOrEqual(1e-6);
    g.releaseTransients();
  });

  // A size-1 reduced axis gives one invocation per element in both entry points: 4.2M of them, 65,988 workgroups.
  test('more than 65535 workgroups (3,188,117,1,64) over its size-1 axis 3: the 2-D dispatch covers every element', async () => {
    const g = gpuTensors();
    const kernels = createWebGpuBackend(g).reduceSum;
    const shape = [3, 188, 117, 1, 64];
    expect(Math.ceil(numElements(shape) / 64)).toBeGreaterThan(65_535);
    const attrs = { axis: 3, count: 1, scale: 0.5 };
    const x = both(g, randomValues(shape, 13), shape, 'x');
    const y = { gpu: kernels.forward(x.gpu, attrs), ref: reference.reduceSum.forward(x.ref, attrs) };
    expect(await relativeError(g, y.gpu, y.ref)).toBeLessThanOrEqual(1e-6);
    const dx = { gpu: kernels.backward(y.gpu, x.gpu, attrs), ref: reference.reduceSum.backward(y.ref, x.ref, attrs) };
    expect(await relativeError(g, dx.gpu, dx.ref)).toBeLessThanOrEqual(1e-6);
    const sum = { gpu: kernels.backward(y.gpu, x.gpu, attrs, x.gpu), ref: reference.reduceSum.backward(y.ref, x.ref, attrs, x.ref) };
    expect(await relativeError(g, sum.gpu, sum.ref)).toBeLessThanOrEqual(1e-6);
    g.releaseTransients();
  });
});
