import { describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import { DROPOUT_CHUNK_ROWS } from '../../../src/backends/webgpu/spatial-dropout.ts';
import type { DropoutAttrs } from '../../../src/runtime/backend.ts';
import { counterHash } from '../../../src/runtime/random.ts';
import { both, entriesRun, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

/** The attrs src/ops/spatial-dropout.ts derives from a rate. */
function attrs(seed: number, stream: number, step: number, rate: number): DropoutAttrs {
  return { seed, stream, step, keepBelow: Math.min(2 ** 32 - 1, Math.round((1 - rate) * 2 ** 32)), scale: 1 / (1 - rate) };
}

// Kept values are one f32 product x · scale: one rounding.
const TOLERANCE = 1e-6;

// (B, M, C) shapes: rank 2 (M = 1); 64·39 = 2496 decisions; M one row past a chunk; rank 4 with odd axes: these on
// the scalar chunk grid (slabs M·C not whole vec4s). The channel-aligned vec4 walk: the TF-fusion dropout's
// M·C = 188·39·39, the TAB dropout's 188·39, and slabs of 4·13 with odd C.
const shapes = [[5, 3], [64, 7, 39], [3, DROPOUT_CHUNK_ROWS + 1, 5], [3, 5, 9, 65], [2, 188, 39, 39], [3, 188, 39], [3, 4, 13]];
/** Whether x's slabs take the vec4 walk. */
const walksVec4 = (shape: readonly number[]): boolean => (shape.slice(1).reduce((n, d) => n * d, 1) % 4) === 0;
// Seeds up to 2^32 − 1, streams and steps with high bits set, rates from the network's 0.1 and 0.2 to 0.9.
const draws: [seed: number, stream: number, step: number, rate: number][] = [
  [0, 0, 0, 0.5],
  [46, 3, 7, 0.2],
  [46, 4, 7, 0.2],
  [46, 3, 8, 0.1],
  [0xffffffff, 0x80000001, 123_456_789, 0.9],
  [12_345, 17, 0xfffffffe, 0.1],
];

describe('spatial-dropout family on WebGPU against the reference backend', { timeout: 60_000 }, () => {
  const gpuTensors = useGpuTensors();

  test.each(shapes.flatMap((shape) => draws.map((draw) => [shape, ...draw] as const)))(
    'x %j, seed %i stream %i step %i rate %f: the keep mask equals counterHash bit for bit, values equal the reference',
    async (shape, seed, stream, step, rate) => {
      const g = gpuTensors();
      const a = attrs(seed, stream, step, rate);
      // x in [0.5, 1.5): never 0, so y = 0 exactly where the kernel dropped.
      const x = both(g, randomValues(shape, seed ^ step, 0.5, 1.5), shape, 'x');
      const { result: yGpu, entries } = entriesRun(g, () => createWebGpuBackend(g).spatialDropout.forward(x.gpu, a));
      expect(entries).toEqual([walksVec4(shape) ? 'spatial-dropout.forwardVec4' : 'spatial-dropout.forward']);
      const y = await g.read(yGpu);
      const [batch, chans] = [shape[0]!, shape.at(-1)!];
      const mid = y.length / (batch * chans);
      const mismatches: string[] = [];
      for (let b = 0; b < batch; b++) {
        for (let c = 0; c < chans; c++) {
          const keep = counterHash(seed, stream, step, b, c) < a.keepBelow;
          for (let m = 0; m < mid; m++) {
            if ((y[(b * mid + m) * chans + c] !== 0) !== keep) mismatches.push(`(b ${b}, m ${m}, c ${c}) keep ${keep}`);
          }
        }
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
      expect(await relativeError(g, yGpu, reference.spatialDropout.forward(x.ref, a))).toBeLessThanOrEqual(TOLERANCE);
      g.releaseTransients();
    },
  );

  test('over 64·39 decisions at rate 0.5 both outcomes occur, and a dropped inf or NaN gives 0 as in the reference', async () => {
    const g = gpuTensors();
    const shape = [64, 2, 39];
    const values = new Float32Array(64 * 2 * 39).fill(Infinity).map((v, i) => (i % 2 === 0 ? v : NaN));
    const a = attrs(46, 3, 7, 0.5);
    const y = await g.read(createWebGpuBackend(g).spatialDropout.forward(g.upload(values, shape, 'x'), a));
    const dropped = y.filter((v) => v === 0).length;
    expect(dropped).toBeGreaterThan(0.4 * y.length);
    expect(dropped).toBeLessThan(0.6 * y.length);
    const want = await reference.read(reference.spatialDropout.forward(reference.upload(values, shape, 'x'), a));
    expect([...y]).toEqual([...want]);
    g.releaseTransients();
  });

  // The fused ReLU tail against the reference, and bit for bit against relu then dropout on the GPU (forward, and
  // backward as the dropout and relu backward passes in turn): same numbers, one pass. Shapes on both forward paths
  // and reluBackward sizes with and without a tail (total % 4).
  test.each([[[3, 5, 9, 65]], [[2, 188, 39, 39]], [[3, 188, 39]], [[5, 3]]])(
    'x %j: reluForward and reluBackward equal the reference and relu then dropout bit for bit',
    async (shape) => {
      const g = gpuTensors();
      const dropout = createWebGpuBackend(g).spatialDropout;
      const relu = createWebGpuBackend(g).relu;
      const a = attrs(46, 5, 11, 0.2);
      const x = both(g, randomValues(shape, 21), shape, 'x');
      const dy = both(g, randomValues(shape, 22), shape, 'dy');
      const y = dropout.reluForward(x.gpu, a);
      const dx = dropout.reluBackward(dy.gpu, y, a);
      expect(await relativeError(g, y, reference.spatialDropout.reluForward(x.ref, a))).toBeLessThanOrEqual(TOLERANCE);
      const yRef = reference.spatialDropout.reluForward(x.ref, a);
      expect(await relativeError(g, dx, reference.spatialDropout.reluBackward(dy.ref, yRef, a))).toBeLessThanOrEqual(TOLERANCE);
      const reluOut = relu.forward(x.gpu);
      expect([...(await g.read(y))]).toEqual([...(await g.read(dropout.forward(reluOut, a)))]);
      expect([...(await g.read(dx))]).toEqual([...(await g.read(relu.backward(dropout.forward(dy.gpu, a), reluOut)))]);
      g.releaseTransients();
    },
  );
});

