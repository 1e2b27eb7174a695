import { describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import { MAX_WORKGROUPS_PER_DIMENSION, WORKGROUP_SIZE } from '../../../src/backends/webgpu/dispatch-size.ts';
import type { AdamAttrs } from '../../../src/runtime/backend.ts';
import { both, randomValues, reference, relativeError, useGpuTensors } from '../../support/gpu-parity.ts';

// MS-SENet's Adam (lr 1e-3, β1 0.93, β2 0.98, eps 1e-8); the step size as src/ops/adam.ts folds it for step t.
function attrs(t: number): AdamAttrs {
  const [lr, beta1, beta2, eps] = [1e-3, 0.93, 0.98, 1e-8];
  return { stepSize: (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t), beta1, beta2, eps };
}

// A handful of f32 roundings per element and step (β in f32 too); three chained steps stay below 1e-6.
const TOLERANCE = 1e-6;

// One past the elements 65535 workgroups of 64 hold: the kernel must rebuild its index from gid.y.
const splitSize = MAX_WORKGROUPS_PER_DIMENSION * WORKGROUP_SIZE + 1;

describe('adam family on WebGPU against the reference backend', { timeout: 60_000 }, () => {
  const gpuTensors = useGpuTensors();

  // A bias, a Dense kernel, a Conv2D kernel (39, 1, 3, 3), an odd size past a workgroup, the split size.
  const shapes = [[[1]], [[7, 39]], [[39, 1, 3, 3]], [[65]], [[splitSize]]];
  test.each(shapes)('param %j: three steps update param, m and v in place', async (shape) => {
    const g = gpuTensors();
    const adam = createWebGpuBackend(g).adam;
    // Fresh-ish moments: m of either sign, v ≥ 0 and as small as 1e-12, so sqrt(v) + eps is not dominated by one term.
    const param = both(g, randomValues(shape, 1), shape, 'param');
    const m = both(g, randomValues(shape, 2, -0.01, 0.01), shape, 'm');
    const v = both(g, randomValues(shape, 3, 1e-12, 1e-4), shape, 'v');
    for (let t = 1; t <= 3; t++) {
      const grad = both(g, randomValues(shape, 10 + t, -0.1, 0.1), shape, 'grad');
      adam.step(param.gpu, grad.gpu, m.gpu, v.gpu, attrs(t));
      reference.adam.step(param.ref, grad.ref, m.ref, v.ref, attrs(t));
      g.dispose(grad.gpu);
    }
    expect(await relativeError(g, m.gpu, m.ref)).toBeLessThanOrEqual(TOLERANCE);
    expect(await relativeError(g, v.gpu, v.ref)).toBeLessThanOrEqual(TOLERANCE);
    expect(await relativeError(g, param.gpu, param.ref)).toBeLessThanOrEqual(TOLERANCE);
    for (const tensor of [param, m, v]) g.dispose(tensor.gpu);
    g.releaseTransients();
  });
});
