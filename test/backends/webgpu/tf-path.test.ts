import { describe, expect, test } from 'vitest';
import { createWebGpuInference } from '../../../src/backends/webgpu/inference.ts';
import { paddedToVec4 } from '../../../src/runtime/shape.ts';
import type { Tensor } from '../../../src/runtime/tensor.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

interface Case {
  readonly batch: number;
  readonly time: number;
  readonly freq: number;
  readonly chans: number;
  readonly kernels: readonly (readonly [number, number])[];
}

const MSSE: Case['kernels'] = [
  [11, 1],
  [1, 9],
  [3, 3],
];

const cases: Case[] = [
  { batch: 1, time: 1, freq: 1, chans: 1, kernels: MSSE },
  // F < SPAN (8) and F = 9 (one full span and one column), C off the vec4 width, T shorter than the 11-tap kernel.
  { batch: 2, time: 5, freq: 3, chans: 5, kernels: MSSE },
  { batch: 3, time: 7, freq: 9, chans: 6, kernels: MSSE },
  // Even kernels: TF 'same' puts the extra pad after; a 1×1 path; a kernel wider than the image.
  { batch: 2, time: 6, freq: 11, chans: 7, kernels: [[2, 2], [1, 1], [5, 13]] },
  { batch: 1, time: 188, freq: 39, chans: 39, kernels: MSSE },
];

// Tolerance 1e-5: each path value sums ≤ 65 products, the gate's squeeze sums P·T·F of them (in SPAN × SPAN blocks,
// then the blocks), and cat sums C gated values. Three dispatches (tf-path.squeeze, se-gate, tf-path.collapse), one
// kernel call: every one is checked through cat, the SE weights random as the rest.
describe('tf-path family on WebGPU against the reference backend (fused inference)', () => {
  const gpuTensors = useGpuTensors();

  test.each(cases)('B=$batch T=$time F=$freq C=$chans kernels $kernels: forward', async ({ batch, time, freq, chans, kernels }) => {
    const g = gpuTensors();
    const attrs = { kernels };
    const taps = kernels.reduce((s, [h, w]) => s + h * w, 0);
    const seeded = (shape: number[], seed: number, name: string, lo?: number, hi?: number) => both(g, randomValues(shape, seed, lo, hi), shape, name);
    const x = seeded([batch, time, freq], 51, 'x');
    // Random values in the padding lanes too: no kernel may let them through.
    const w = seeded([2, taps, paddedToVec4(chans)], 52, 'w');
    const b = seeded([2, kernels.length, chans], 53, 'b', -0.2, 0.5);
    const se = {
      fc1w: seeded([2, chans, chans], 62, 'fc1w'), fc1b: seeded([2, chans], 63, 'fc1b'), fc2w: seeded([2, chans, chans], 64, 'fc2w'),
      fc2b: seeded([2, chans], 65, 'fc2b'), w1x1: seeded([2, chans], 66, 'w1x1'), gateBias: seeded([2], 55, 'gateBias', 0, 0.5),
    };
    const side = (which: 'gpu' | 'ref') => Object.fromEntries(Object.entries(se).map(([name, t]) => [name, t[which]])) as Record<keyof typeof se, Tensor>;
    const cat = {
      gpu: createWebGpuInference(g).tfPath.forward(x.gpu, w.gpu, b.gpu, side('gpu'), attrs),
      ref: reference.tfPath.forward(x.ref, w.ref, b.ref, side('ref'), attrs),
    };
    expect(await relativeError(g, cat.gpu, cat.ref), 'cat').toBeLessThanOrEqual(1e-5);
    g.releaseTransients();
  });
});
