import { describe, expect, test } from 'vitest';
import { createWebGpuInference } from '../../../src/backends/webgpu/inference.ts';
import { paddedToVec4 } from '../../../src/runtime/shape.ts';
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

// Tolerances: each value sums ≤ 65 products (1e-5); squeeze adds up to 3·8 values, collapse C gated values.
describe('tf-path family on WebGPU against the reference backend (fused inference)', () => {
  const gpuTensors = useGpuTensors();

  test.each(cases)('B=$batch T=$time F=$freq C=$chans kernels $kernels: squeeze, collapse', async ({ batch, time, freq, chans, kernels }) => {
    const g = gpuTensors();
    const k = createWebGpuInference(g).tfPath;
    const attrs = { kernels };
    const taps = kernels.reduce((s, [h, w]) => s + h * w, 0);
    const x = both(g, randomValues([batch, time, freq], 51), [batch, time, freq], 'x');
    // Random values in the padding lanes too: no kernel may let them through.
    const w = both(g, randomValues([2, taps, paddedToVec4(chans)], 52), [2, taps, paddedToVec4(chans)], 'w');
    const b = both(g, randomValues([2, kernels.length, chans], 53, -0.2, 0.5), [2, kernels.length, chans], 'b');
    const gate = both(g, randomValues([2 * batch, chans], 54), [2 * batch, chans], 'gate');
    const gateBias = both(g, randomValues([2], 55, 0, 0.5), [2], 'gateBias');

    const partial = { gpu: k.squeeze(x.gpu, w.gpu, b.gpu, attrs), ref: reference.tfPath.squeeze(x.ref, w.ref, b.ref, attrs) };
    expect(await relativeError(g, partial.gpu, partial.ref), 'partial').toBeLessThanOrEqual(1e-5);
    const cat = {
      gpu: k.collapse(x.gpu, w.gpu, b.gpu, gate.gpu, gateBias.gpu, attrs),
      ref: reference.tfPath.collapse(x.ref, w.ref, b.ref, gate.ref, gateBias.ref, attrs),
    };
    expect(await relativeError(g, cat.gpu, cat.ref), 'cat').toBeLessThanOrEqual(1e-5);
    g.releaseTransients();
  });
});
