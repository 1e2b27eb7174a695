import { describe, expect, test } from 'vitest';
import { createWebGpuInference } from '../../../src/backends/webgpu/inference.ts';
import { paddedToVec4 } from '../../../src/runtime/shape.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

const cases = [
  { batch: 1, time: 1, chans: 1, taps: 1, dilation: 1 },
  // T < dilation (tap 0 reads only padding), T off the 4-step span, C off the vec4 width.
  { batch: 2, time: 5, chans: 3, taps: 2, dilation: 8 },
  { batch: 3, time: 7, chans: 6, taps: 3, dilation: 2 },
  { batch: 1, time: 188, chans: 39, taps: 2, dilation: 128 },
];

describe('tab-inference family on WebGPU against the reference backend (fused inference)', () => {
  const gpuTensors = useGpuTensors();

  test.each(cases)('B=$batch T=$time C=$chans K=$taps d=$dilation: first, second (two blocks of the stack), pool', async ({ batch, time, chans, taps, dilation }) => {
    const g = gpuTensors();
    const k = createWebGpuInference(g).tabInference;
    const attrs = { taps, dilation };
    const act = [2 * batch, time, chans];
    const wShape = [2, taps, chans, paddedToVec4(chans)];
    const h = both(g, randomValues(act, 81), act, 'h');
    const w1 = both(g, randomValues(wShape, 82), wShape, 'w1');
    const w2 = both(g, randomValues(wShape, 83), wShape, 'w2');
    const b1 = both(g, randomValues([2, chans], 84, -0.2, 0.5), [2, chans], 'b1');
    const b2 = both(g, randomValues([2, chans], 85, -0.2, 0.5), [2, chans], 'b2');
    const wsum = both(g, randomValues([2], 86), [2], 'wsum');
    // Both blocks of a two-block stack are written; a block left unwritten stays poisoned (NaN) and fails pool.
    const stack = { gpu: k.stack(h.gpu, { blocks: 2 }), ref: reference.tabInference.stack(h.ref, { blocks: 2 }) };
    let input = h;
    for (const block of [0, 1]) {
      const a = { gpu: k.first(input.gpu, w1.gpu, b1.gpu, attrs), ref: reference.tabInference.first(input.ref, w1.ref, b1.ref, attrs) };
      expect(await relativeError(g, a.gpu, a.ref), `a (block ${block})`).toBeLessThanOrEqual(1e-5);
      const out = {
        gpu: k.second(a.gpu, w2.gpu, b2.gpu, input.gpu, stack.gpu, { ...attrs, block }),
        ref: reference.tabInference.second(a.ref, w2.ref, b2.ref, input.ref, stack.ref, { ...attrs, block }),
      };
      expect(await relativeError(g, out.gpu, out.ref), `out (block ${block})`).toBeLessThanOrEqual(1e-5);
      input = out;
    }
    expect(await relativeError(g, stack.gpu, stack.ref), 'stack').toBeLessThanOrEqual(1e-5);
    const z = { gpu: k.pool(stack.gpu, wsum.gpu), ref: reference.tabInference.pool(stack.ref, wsum.ref) };
    expect(await relativeError(g, z.gpu, z.ref), 'z').toBeLessThanOrEqual(1e-5);
    g.releaseTransients();
  });
});
