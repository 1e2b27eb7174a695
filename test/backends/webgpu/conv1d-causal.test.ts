import { describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

interface Case {
  readonly batch: number;
  readonly time: number;
  readonly cin: number;
  readonly cout: number;
  readonly taps: number;
  readonly dilation: number;
}

const cases: Case[] = [
  { batch: 1, time: 1, cin: 1, cout: 1, taps: 1, dilation: 1 },
  // T < dilation: tap 0 reads only the zero padding, and dx gets nothing through it.
  { batch: 2, time: 5, cin: 3, cout: 4, taps: 2, dilation: 8 },
  // Lag exactly T − 1, channel counts off the 4-wide tiles, T not a multiple of 4.
  { batch: 2, time: 7, cin: 5, cout: 6, taps: 2, dilation: 6 },
  { batch: 3, time: 37, cin: 5, cout: 6, taps: 3, dilation: 2 },
  // Two tap pairs in backwardWeight; lag(0) = 9 = T, so forward skips tap 0 in every 4-step tile; 9 and 13 channels
  // end in a partial vec4 and a partial 8-channel tile (clamped weight vec4s).
  { batch: 2, time: 9, cin: 9, cout: 13, taps: 4, dilation: 3 },
  // One tap: backwardWeight's pair holds a lone tap; channels fill the 8-wide tiles exactly, T = 6 ends mid-tile.
  { batch: 3, time: 6, cin: 8, cout: 16, taps: 1, dilation: 5 },
  { batch: 4, time: 188, cin: 39, cout: 39, taps: 2, dilation: 1 },
  { batch: 4, time: 188, cin: 39, cout: 39, taps: 2, dilation: 128 },
  // 3008 rows for backwardWeight: 12 chunks, finished by reduce-sum.
  { batch: 16, time: 188, cin: 39, cout: 39, taps: 2, dilation: 16 },
];

// Tolerances: forward and backwardInput add Cin·K (Cout·K) ≤ 78 products per output (short sums, 1e-5);
// backwardWeight adds B·T ≤ 3008 products per weight (long, 1e-4).
describe('conv1d-causal family on WebGPU against the reference backend', () => {
  const gpuTensors = useGpuTensors();

  test.each(cases)(
    'B=$batch T=$time Cin=$cin Cout=$cout K=$taps d=$dilation: forward, backwardInput, backwardWeight',
    async ({ batch, time, cin, cout, taps, dilation }) => {
      const g = gpuTensors();
      const kernels = createWebGpuBackend(g).conv1dCausal;
      const attrs = { taps, dilation };
      const x = both(g, randomValues([batch, time, cin], 41), [batch, time, cin], 'x');
      const w = both(g, randomValues([cout, cin, taps], 42), [cout, cin, taps], 'w');
      const bias = both(g, randomValues([cout], 43), [cout], 'b');
      const dy = both(g, randomValues([batch, time, cout], 44), [batch, time, cout], 'dy');

      const y = { gpu: kernels.forward(x.gpu, w.gpu, bias.gpu, attrs), ref: reference.conv1dCausal.forward(x.ref, w.ref, bias.ref, attrs) };
      expect(await relativeError(g, y.gpu, y.ref), 'y').toBeLessThanOrEqual(1e-5);
      const dx = { gpu: kernels.backwardInput(dy.gpu, w.gpu, attrs), ref: reference.conv1dCausal.backwardInput(dy.ref, w.ref, attrs) };
      expect(await relativeError(g, dx.gpu, dx.ref), 'dx').toBeLessThanOrEqual(1e-5);
      const dw = { gpu: kernels.backwardWeight(dy.gpu, x.gpu, attrs), ref: reference.conv1dCausal.backwardWeight(dy.ref, x.ref, attrs) };
      expect(await relativeError(g, dw.gpu, dw.ref), 'dw').toBeLessThanOrEqual(1e-4);
      g.releaseTransients();
    },
  );
});
