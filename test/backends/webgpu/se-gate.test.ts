import { describe, expect, test } from 'vitest';
import { createWebGpuInference } from '../../../src/backends/webgpu/inference.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

const cases = [
  { batch: 1, rows: 1, spans: 1, chans: 1 },
  { batch: 2, rows: 5, spans: 3, chans: 5 },
  { batch: 3, rows: 13, spans: 2, chans: 6 },
  { batch: 1, rows: 188, spans: 5, chans: 39 },
];

describe('se-gate family on WebGPU against the reference backend (fused inference)', () => {
  const gpuTensors = useGpuTensors();

  test.each(cases)('B=$batch T=$rows S=$spans C=$chans: squeeze, forward', async ({ batch, rows, spans, chans }) => {
    const g = gpuTensors();
    const k = createWebGpuInference(g).seGate;
    const shape = [2 * batch, rows, spans, chans];
    const partial = both(g, randomValues(shape, 61, 0, 4), shape, 'partial');
    const matrix = (seed: number, name: string) => both(g, randomValues([2, chans, chans], seed), [2, chans, chans], name);
    const vector = (seed: number, name: string) => both(g, randomValues([2, chans], seed), [2, chans], name);
    const [fc1w, fc1b, fc2w, fc2b, w1x1] = [matrix(62, 'fc1w'), vector(63, 'fc1b'), matrix(64, 'fc2w'), vector(65, 'fc2b'), vector(66, 'w1x1')];
    const attrs = { scale: 1 / (rows * spans * 3) };
    const gate = {
      gpu: k.forward(partial.gpu, fc1w.gpu, fc1b.gpu, fc2w.gpu, fc2b.gpu, w1x1.gpu, attrs),
      ref: reference.seGate.forward(partial.ref, fc1w.ref, fc1b.ref, fc2w.ref, fc2b.ref, w1x1.ref, attrs),
    };
    expect(await relativeError(g, gate.gpu, gate.ref), 'gate').toBeLessThanOrEqual(1e-5);
    g.releaseTransients();
  });
});
