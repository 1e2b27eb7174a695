import { describe, expect, test } from 'vitest';
import { createWebGpuInference } from '../../../src/backends/webgpu/inference.ts';
import { paddedToVec4 } from '../../../src/runtime/shape.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

const cases = [
  { batch: 1, rows: 1, inputs: 1, outputs: 1 },
  // R off the 4-row span, Out off the vec4 width.
  { batch: 2, rows: 5, inputs: 3, outputs: 5 },
  { batch: 3, rows: 7, inputs: 9, outputs: 6 },
  { batch: 1, rows: 188, inputs: 156, outputs: 39 },
];

describe('direction-dense family on WebGPU against the reference backend (fused inference)', () => {
  const gpuTensors = useGpuTensors();

  test.each(cases)('B=$batch R=$rows In=$inputs Out=$outputs: forward', async ({ batch, rows, inputs, outputs }) => {
    const g = gpuTensors();
    const k = createWebGpuInference(g).directionDense;
    const x = both(g, randomValues([2 * batch, rows, inputs], 71), [2 * batch, rows, inputs], 'x');
    const wShape = [2, inputs, paddedToVec4(outputs)];
    const w = both(g, randomValues(wShape, 72), wShape, 'w');
    const b = both(g, randomValues([2, outputs], 73), [2, outputs], 'b');
    const y = { gpu: k.forward(x.gpu, w.gpu, b.gpu), ref: reference.directionDense.forward(x.ref, w.ref, b.ref) };
    expect(await relativeError(g, y.gpu, y.ref), 'y').toBeLessThanOrEqual(1e-5);
    g.releaseTransients();
  });
});
