import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openNodeGpu } from '../../../src/platform/node/backends.ts';
import { type GpuContext } from '../../../src/backends/webgpu/device.ts';
import { createDispatchContext, type DispatchContext } from '../../../src/backends/webgpu/dispatch.ts';
import { MAX_WORKGROUPS_PER_DIMENSION, WORKGROUP_SIZE } from '../../../src/backends/webgpu/dispatch-size.ts';
import { readShaderFile } from '../../../src/platform/node/assets.ts';
import { poison } from '../../../src/backends/webgpu/poison.ts';
import { reluBackward, reluForward } from '../../../src/backends/webgpu/relu.ts';
import { readback, upload } from '../../../src/backends/webgpu/transfer.ts';
import { mulberry32 } from '../../support/prng.ts';

/** Seeded uniform values in [-4, 4) as f32, with every 5th element exactly 0 (the kink). mulberry32. */
function randomF32(numElements: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: numElements }, (_, i) => (i % 5 === 0 ? 0 : (random() - 0.5) * 8));
}

/** The first index where got differs from want (NaN included), or -1; then the slack past it must be NaN. */
function firstMismatch(got: Float32Array, want: Float32Array): number {
  for (let i = 0; i < want.length; i++) if (!(got[i] === want[i])) return i;
  return -1;
}
function firstWrittenSlack(got: Float32Array, numElements: number): number {
  for (let i = numElements; i < got.length; i++) if (!Number.isNaN(got[i])) return i;
  return -1;
}

// 1 element; one short of and one past a workgroup; a large odd size; one element past the 65535 workgroups
// a single dispatch dimension holds, so the kernel must rebuild its index from gid.y.
const splitSize = MAX_WORKGROUPS_PER_DIMENSION * WORKGROUP_SIZE + 1;
const sizes = [1, 63, 65, 1_000_003, splitSize];

describe('shaders/relu.wgsl against a CPU loop, outputs poisoned', { timeout: 60_000 }, () => {
  let gpu: GpuContext;
  let k: DispatchContext;
  beforeAll(async () => {
    gpu = await openNodeGpu();
    k = createDispatchContext(gpu, readShaderFile);
  }, 30_000);
  afterAll(() => gpu?.destroy());

  test(`the split size ${splitSize} needs more than ${MAX_WORKGROUPS_PER_DIMENSION} workgroups`, () => {
    expect(Math.ceil(splitSize / WORKGROUP_SIZE)).toBeGreaterThan(MAX_WORKGROUPS_PER_DIMENSION);
  });

  test.each(sizes)('n=%i forward y = max(x, 0) and backward dx = dy·[x > 0], exactly', async (n) => {
    const xHost = randomF32(n, n);
    const dyHost = randomF32(n, n + 1);
    const x = upload(k, xHost, 'x');
    const dy = upload(k, dyHost, 'dy');
    const y = k.pool.acquire(n * 4, 'y');
    const dx = k.pool.acquire(n * 4, 'dx');
    poison(k, y);
    poison(k, dx);

    reluForward(k, x, y, n);
    reluBackward(k, x, dy, dx, n);
    const [yGot, dxGot] = [await readback(k, y), await readback(k, dx)];

    const yWant = new Float32Array(n);
    const dxWant = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      yWant[i] = xHost[i]! > 0 ? xHost[i]! : 0;
      dxWant[i] = xHost[i]! > 0 ? dyHost[i]! : 0;
    }
    expect(firstMismatch(yGot, yWant), 'forward').toBe(-1);
    expect(firstMismatch(dxGot, dxWant), 'backward').toBe(-1);
    // Pool slack past the tensor stays NaN: the bounds guard stopped every extra invocation.
    expect(yGot.length, 'y has pool slack').toBeGreaterThan(n);
    expect(firstWrittenSlack(yGot, n), 'forward wrote past the end').toBe(-1);
    expect(firstWrittenSlack(dxGot, n), 'backward wrote past the end').toBe(-1);
    for (const buffer of [x, dy, y, dx]) k.pool.release(buffer);
  });
});
