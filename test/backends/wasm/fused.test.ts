import { describe, expect, test } from 'vitest';
import { relativeError } from '../../../src/check/compare.ts';
import { openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { hasFusedKernels, type FusedInferenceBackend } from '../../../src/runtime/backend.ts';
import { paddedToVec4 } from '../../../src/runtime/shape.ts';
import type { Shape, Tensor } from '../../../src/runtime/tensor.ts';
import { randomValues, reference, useBackend } from '../../support/backend-parity.ts';

// The fused inference families (FusedInferenceKernels) on wasm against the reference backend's, which compose the
// unfused float64 kernels: the WebGPU fused tests' shapes and tolerances (each value a short f32 sum: 1e-5), every
// output poisoned (NaN before its kernel runs), on one thread and on three (ranges split mid-direction: the same
// bits, since each item is computed whole wherever its range falls).

const TOLERANCE = 1e-5;

/** The wasm backend, checked to have the fused kernels. */
async function openFused(threads: number): Promise<FusedInferenceBackend> {
  const backend = await openWasmInference({ poisonOutputs: true, threads });
  if (!hasFusedKernels(backend)) throw new Error('the wasm backend has no fused kernels');
  return backend;
}

const MSSE: readonly (readonly [number, number])[] = [
  [11, 1],
  [1, 9],
  [3, 3],
];

const TF_PATH_CASES = [
  { batch: 1, time: 1, freq: 1, chans: 1, kernels: MSSE },
  // F off the vec4 width and F = 9, C off the vec4 width (and C ≤ 4: the masked last vector is the only one), T
  // shorter than the 11-tap kernel.
  { batch: 2, time: 5, freq: 3, chans: 5, kernels: MSSE },
  { batch: 1, time: 6, freq: 5, chans: 4, kernels: MSSE },
  { batch: 2, time: 4, freq: 7, chans: 8, kernels: MSSE },
  { batch: 3, time: 7, freq: 9, chans: 7, kernels: MSSE },
  // Even kernels: TF 'same' puts the extra pad after; a 1×1 path; a kernel wider than the image; a taller one.
  { batch: 2, time: 6, freq: 11, chans: 7, kernels: [[2, 2], [1, 1], [5, 13]] as const },
  { batch: 1, time: 9, freq: 6, chans: 6, kernels: [[4, 2], [7, 1], [1, 3]] as const },
  // msse-tiny's T, then EMO-DB's (T = 188, F = C = 39).
  { batch: 3, time: 32, freq: 39, chans: 39, kernels: MSSE },
  { batch: 1, time: 188, freq: 39, chans: 39, kernels: MSSE },
];

const DIRECTION_DENSE_CASES = [
  { batch: 1, rows: 1, inputs: 1, outputs: 1 },
  // R off the 4-row tile, Out off the vec4 width and off the 8-column block.
  { batch: 2, rows: 5, inputs: 3, outputs: 5 },
  { batch: 3, rows: 7, inputs: 9, outputs: 7 },
  { batch: 3, rows: 32, inputs: 156, outputs: 39 },
  { batch: 1, rows: 188, inputs: 156, outputs: 39 },
];

const TAB_CASES = [
  { batch: 1, time: 1, chans: 1, taps: 1, dilation: 1 },
  // T < dilation (tap 0 reads only padding), T odd, C off the vec4 width.
  { batch: 2, time: 5, chans: 3, taps: 2, dilation: 8 },
  { batch: 3, time: 7, chans: 5, taps: 3, dilation: 2 },
  { batch: 3, time: 32, chans: 39, taps: 2, dilation: 4 },
  { batch: 1, time: 188, chans: 39, taps: 2, dilation: 128 },
];

describe.each([1, 3])('fused inference kernels on wasm (%i threads) against the reference backend, outputs poisoned', (threads) => {
  const backend = useBackend(() => openFused(threads));

  /** The same seeded values on wasm (transient) and on the reference. */
  const both = (shape: Shape, seed: number, name: string, lo = -1, hi = 1): { got: Tensor; ref: Tensor } => {
    const values = randomValues(shape, seed, lo, hi);
    return { got: backend().upload(values, shape, name, { transient: true }), ref: reference.upload(values, shape, name) };
  };
  const errorOf = async (got: Tensor, ref: Tensor): Promise<number> => {
    expect(got.shape).toEqual(ref.shape);
    return relativeError(await backend().read(got), await reference.read(ref));
  };

  test.each(TF_PATH_CASES)('tf-path B=$batch T=$time F=$freq C=$chans kernels $kernels: forward', async ({ batch, time, freq, chans, kernels }) => {
    const attrs = { kernels };
    const taps = kernels.reduce((s, [h, w]) => s + h * w, 0);
    const x = both([batch, time, freq], 51, 'x');
    // Random values in the padding lanes too: no kernel may let them through.
    const w = both([2, taps, paddedToVec4(chans)], 52, 'w');
    const b = both([2, kernels.length, chans], 53, 'b', -0.2, 0.5);
    const matrix = (seed: number, name: string) => both([2, chans, chans], seed, name);
    const vector = (seed: number, name: string) => both([2, chans], seed, name);
    const se = {
      fc1w: matrix(62, 'fc1w'), fc1b: vector(63, 'fc1b'), fc2w: matrix(64, 'fc2w'), fc2b: vector(65, 'fc2b'), w1x1: vector(66, 'w1x1'),
      gateBias: both([2], 55, 'gateBias', 0, 0.5),
    };
    const side = (which: 'got' | 'ref') => Object.fromEntries(Object.entries(se).map(([name, t]) => [name, t[which]])) as Record<keyof typeof se, Tensor>;
    const got = backend().tfPath.forward(x.got, w.got, b.got, side('got'), attrs);
    const ref = reference.tfPath.forward(x.ref, w.ref, b.ref, side('ref'), attrs);
    expect(await errorOf(got, ref), 'cat').toBeLessThanOrEqual(TOLERANCE);
    backend().releaseTransients();
  });

  test.each(DIRECTION_DENSE_CASES)('direction-dense B=$batch R=$rows In=$inputs Out=$outputs: forward', async ({ batch, rows, inputs, outputs }) => {
    const x = both([2 * batch, rows, inputs], 71, 'x');
    const w = both([2, inputs, paddedToVec4(outputs)], 72, 'w');
    const b = both([2, outputs], 73, 'b');
    const y = { got: backend().directionDense.forward(x.got, w.got, b.got), ref: reference.directionDense.forward(x.ref, w.ref, b.ref) };
    expect(await errorOf(y.got, y.ref), 'y').toBeLessThanOrEqual(TOLERANCE);
    backend().releaseTransients();
  });

  test.each(TAB_CASES)('tab-inference B=$batch T=$time C=$chans K=$taps d=$dilation: first, second (two blocks of the stack), pool', async ({ batch, time, chans, taps, dilation }) => {
    const k = backend().tabInference;
    const attrs = { taps, dilation };
    const act = [2 * batch, time, chans];
    const wShape = [2, taps, chans, paddedToVec4(chans)];
    const h = both(act, 81, 'h');
    const [w1, w2] = [both(wShape, 82, 'w1'), both(wShape, 83, 'w2')];
    const [b1, b2] = [both([2, chans], 84, 'b1', -0.2, 0.5), both([2, chans], 85, 'b2', -0.2, 0.5)];
    const wsum = both([2], 86, 'wsum');
    // Both blocks of a two-block stack are written; a block left unwritten stays poisoned (NaN) and fails pool.
    const stack = { got: k.stack(h.got, { blocks: 2 }), ref: reference.tabInference.stack(h.ref, { blocks: 2 }) };
    let input = h;
    for (const block of [0, 1]) {
      const a = { got: k.first(input.got, w1.got, b1.got, attrs), ref: reference.tabInference.first(input.ref, w1.ref, b1.ref, attrs) };
      expect(await errorOf(a.got, a.ref), `a (block ${block})`).toBeLessThanOrEqual(TOLERANCE);
      const out = {
        got: k.second(a.got, w2.got, b2.got, input.got, stack.got, { ...attrs, block }),
        ref: reference.tabInference.second(a.ref, w2.ref, b2.ref, input.ref, stack.ref, { ...attrs, block }),
      };
      expect(await errorOf(out.got, out.ref), `out (block ${block})`).toBeLessThanOrEqual(TOLERANCE);
      input = out;
    }
    expect(await errorOf(stack.got, stack.ref), 'stack').toBeLessThanOrEqual(TOLERANCE);
    const z = { got: k.pool(stack.got, wsum.got), ref: reference.tabInference.pool(stack.ref, wsum.ref) };
    expect(await errorOf(z.got, z.ref), 'z').toBeLessThanOrEqual(TOLERANCE);
    backend().releaseTransients();
  });
});
