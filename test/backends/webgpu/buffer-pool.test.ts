import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createWebGpuBackend } from '../../../src/backends/webgpu/backend.ts';
import { InternalError } from '../../../src/errors.ts';
import { BufferPool, sizeClassBytes } from '../../../src/backends/webgpu/buffer-pool.ts';
import { openNodeGpu } from '../../../src/platform/node/backends.ts';
import { type GpuContext } from '../../../src/backends/webgpu/device.ts';
import { createDispatchContext } from '../../../src/backends/webgpu/dispatch.ts';
import { readShaderFile } from '../../../src/platform/node/assets.ts';
import { poison } from '../../../src/backends/webgpu/poison.ts';
import { CommandRecorder } from '../../../src/backends/webgpu/recorder.ts';
import { GpuTensors } from '../../../src/backends/webgpu/tensors.ts';
import { readback, upload } from '../../../src/backends/webgpu/transfer.ts';

describe('sizeClassBytes', () => {
  test.each([
    [0, 16],
    [1, 16],
    [17, 20],
    [1000, 1024],
    [1025, 1280],
    [1280, 1280],
    [1281, 1536],
    [4_000_012, 4_194_304],
  ])('%i bytes -> %i', (sizeBytes, classBytes) => {
    expect(sizeClassBytes(sizeBytes)).toBe(classBytes);
  });

  test('never rounds past the binding limit when the tensor fits under it', () => {
    // 120 MiB would round to 128 MiB; under a (hypothetical) 125 MiB limit it stays 120 MiB.
    expect(sizeClassBytes(120 * 2 ** 20, 125 * 2 ** 20)).toBe(120 * 2 ** 20);
    expect(sizeClassBytes(100 * 2 ** 20, 125 * 2 ** 20)).toBe(112 * 2 ** 20);
    expect(sizeClassBytes(130 * 2 ** 20, 125 * 2 ** 20)).toBe(160 * 2 ** 20);
  });
});

describe('BufferPool on the device', { timeout: 30_000 }, () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await openNodeGpu();
  }, 30_000);
  afterAll(() => gpu?.destroy());

  test('a released buffer serves the next request of its size class, relabelled with the tensor name', () => {
    const pool = new BufferPool(gpu, new CommandRecorder(gpu));
    const a = pool.acquire(1000, 'fwd.tab1.conv1.weight');
    expect([a.size, a.label]).toEqual([1024, 'fwd.tab1.conv1.weight']);
    pool.release(a);
    const b = pool.acquire(900, 'fwd.tab2.conv1.weight');
    expect(b).toBe(a);
    expect(b.label).toBe('fwd.tab2.conv1.weight');
    const c = pool.acquire(1100, 'other class');
    expect(c).not.toBe(a);
    expect(c.size).toBe(1280);
    expect(pool.stats).toEqual({ created: 2, createdBytes: 1024 + 1280, reused: 1, leased: 2 });
  });

  test('with none of its class free, a request takes the smallest free buffer up to twice its class', () => {
    const pool = new BufferPool(gpu, new CommandRecorder(gpu));
    const [big, bigger] = [pool.acquire(1536, 'batch 64'), pool.acquire(2048, 'batch 64')];
    pool.release(bigger);
    pool.release(big);
    expect(pool.acquire(1000, 'batch 33')).toBe(big); // class 1024: 1536 is the smallest free one within 2x
    const second = pool.acquire(1000, 'batch 33');
    expect(second).toBe(bigger); // 2048 = 2 x 1024
    pool.release(second);
    expect(pool.acquire(600, 'small').size).toBe(640); // class 640: the free 2048 is over twice that
    expect(pool.stats.created).toBe(3);
  });

  test('releasing a buffer twice, or one from elsewhere, is a bug', () => {
    const pool = new BufferPool(gpu, new CommandRecorder(gpu));
    const a = pool.acquire(64, 'a');
    pool.release(a);
    expect(() => pool.release(a)).toThrowError(
      new InternalError("BufferPool.release: buffer 'a' is not leased from this pool"),
    );
  });

  test('a tensor freed mid-step serves a later output; uploads take other buffers and never split the step', async () => {
    const g = new GpuTensors(createDispatchContext(gpu, readShaderFile), { poisonOutputs: true });
    const { recorder } = g.ctx;
    const relu = createWebGpuBackend(g).relu;
    const a = g.upload([-1, 2, -3, 4], [4], 'a', { transient: true });
    const y = relu.forward(a); // recorded, not submitted
    g.release(a);
    g.release(a); // a second release of the same storage is a no-op
    const submits = recorder.submits;
    const b = g.upload([50, 60, 70, 80], [4], 'b', { transient: true });
    expect(g.buffer(b)).not.toBe(g.buffer(a));
    expect(recorder.submits).toBe(submits);
    // z's output reuses a's buffer: its NaN poison (a queue write) must not overtake the recorded relu that reads a.
    const z = relu.forward(b);
    expect(g.buffer(z)).toBe(g.buffer(a));
    expect([...(await g.read(y))]).toEqual([0, 2, 0, 4]);
    expect([...(await g.read(z))]).toEqual([50, 60, 70, 80]);
    g.releaseTransients();
  });

  test('poison fills the whole buffer, slack included; upload then overwrites only the tensor', async () => {
    const k = createDispatchContext(gpu, readShaderFile);
    const pool = k.pool;
    const x = upload(k, new Float32Array(250).fill(1), 'x');
    expect(x.size).toBe(1024);
    poison(k, x);
    expect((await readback(k, x)).every(Number.isNaN)).toBe(true);
    pool.release(x);
    const values = Float32Array.from({ length: 240 }, (_, i) => i);
    const y = upload(k, values, 'y');
    expect(y).toBe(x);
    const got = await readback(k, y);
    expect([...got.subarray(0, 240)]).toEqual([...values]);
    expect(got.subarray(240).every(Number.isNaN)).toBe(true);
  });
});
