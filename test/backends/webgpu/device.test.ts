import { describe, expect, test } from 'vitest';
import { GpuError } from '../../../src/errors.ts';
import { openNodeGpu } from '../../../src/platform/node/backends.ts';
import { acquireGpu, settleWithin, type AdapterCandidate } from '../../../src/backends/webgpu/device.ts';
import { createDispatchContext } from '../../../src/backends/webgpu/dispatch.ts';
import { readShaderFile } from '../../../src/platform/node/assets.ts';
import { reluForward } from '../../../src/backends/webgpu/relu.ts';
import { readback } from '../../../src/backends/webgpu/transfer.ts';

/** A candidate whose GPU answers requestAdapter with `answer`; counts releases. */
function fakeCandidate(what: string, answer: () => Promise<GPUAdapter | null>) {
  const state = { released: 0 };
  const candidate: AdapterCandidate = {
    what,
    backend: 'vulkan',
    featureLevel: 'core',
    open: async () => ({
      gpu: { requestAdapter: answer } as unknown as GPU,
      release: () => void state.released++,
    }),
  };
  return { candidate, state };
}

describe('openNodeGpu on this machine (no GPU: Mesa llvmpipe through the GL fallback)', { timeout: 30_000 }, () => {
  // Machines of this project's kind have no GPU and no Vulkan driver Dawn accepts; with lavapipe 25 installed
  // (runbook, optional) VK_ICD_FILENAMES is set and the default Vulkan path answers first.
  const viaVulkan = process.env.VK_ICD_FILENAMES !== undefined;

  test('falls back by itself to OpenGL ES at compatibility level, with the adapter\'s full limits', async () => {
    const gpu = await openNodeGpu();
    try {
      expect(gpu.adapter).toMatchObject(
        viaVulkan
          ? { backend: 'vulkan', featureLevel: 'core', isFallback: false }
          : { backend: 'opengles', featureLevel: 'compatibility', isFallback: false, description: expect.stringMatching(/^OpenGL version OpenGL ES/) },
      );
      expect(gpu.adapter.device).toMatch(/llvmpipe/);
      // Defaults are 8 storage buffers, 256 MiB buffers, 128 invocations (compatibility); asking for the
      // adapter's limits gives llvmpipe's 16, 2 GiB and 1024.
      expect(gpu.limits.maxStorageBuffersPerShaderStage).toBeGreaterThan(8);
      expect(gpu.limits.maxBufferSize).toBeGreaterThan(256 * 2 ** 20);
      expect(gpu.limits.maxComputeInvocationsPerWorkgroup).toBeGreaterThan(256);
      expect(globalThis.__msseDawnInstances?.size).toBe(1);
    } finally {
      gpu.destroy();
    }
    expect(globalThis.__msseDawnInstances).toBeUndefined();
  });

  test('after destroy(), dispatches throw and readbacks reject with GPU device lost', async () => {
    const gpu = await openNodeGpu();
    const k = createDispatchContext(gpu, readShaderFile);
    const x = k.pool.acquire(16, 'x');
    gpu.destroy();
    const lost = new GpuError('GPU device lost: destroy() was called');
    expect(() => reluForward(k, x, x, 4)).toThrowError(lost);
    expect(() => k.pool.acquire(16, 'y')).toThrowError(lost);
    await expect(readback(k, x)).rejects.toThrowError(lost);
  });

  test('a device lost underneath (device.lost) makes later operations reject with its reason', async () => {
    const gpu = await openNodeGpu();
    const k = createDispatchContext(gpu, readShaderFile);
    const x = k.pool.acquire(16, 'x');
    gpu.device.destroy();
    expect((await gpu.device.lost).reason).toBe('destroyed');
    const lost = new GpuError('GPU device lost: device was destroyed');
    expect(() => reluForward(k, x, x, 4)).toThrowError(lost);
    await expect(readback(k, x)).rejects.toThrowError(lost);
    gpu.destroy();
  });
});

describe('acquisition never hangs and says what it tried', () => {
  test('settleWithin gives up after timeoutMs', async () => {
    await expect(settleWithin(new Promise(() => undefined), 'requestAdapter on X', { timeoutMs: 20 })).rejects.toThrowError(
      new GpuError('requestAdapter on X gave no answer within 20 ms'),
    );
  });

  test('settleWithin stops on abort', async () => {
    const controller = new AbortController();
    const pending = settleWithin(new Promise(() => undefined), 'requestDevice on X', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toThrowError(new GpuError('requestDevice on X aborted'));
  });

  test('an adapter request that never answers is a GpuError, and the instance is let go', async () => {
    const { candidate, state } = fakeCandidate('stuck backend', () => new Promise(() => undefined));
    await expect(acquireGpu({ candidates: [candidate], hint: 'hint' }, { timeoutMs: 30 })).rejects.toThrowError(
      new GpuError('requestAdapter on stuck backend gave no answer within 30 ms'),
    );
    expect(state.released).toBe(1);
  });

  /** An adapter whose device request fails with its name: shows which adapter acquireGpu chose. */
  const adapterNamed = (name: string, isFallbackAdapter: boolean) =>
    ({
      info: { isFallbackAdapter },
      limits: {},
      features: new Set<string>(),
      requestDevice: async () => {
        throw new Error(`device of ${name}`);
      },
    }) as unknown as GPUAdapter;

  test('a software fallback adapter is taken only when no other candidate has a hardware one', async () => {
    const swift = fakeCandidate('first (core)', async () => adapterNamed('swiftshader', true));
    const angle = fakeCandidate('second (compatibility)', async () => adapterNamed('llvmpipe', false));
    await expect(acquireGpu({ candidates: [swift.candidate, angle.candidate], hint: '' })).rejects.toThrowError(
      new GpuError('requestDevice on second (compatibility) failed: device of llvmpipe'),
    );
    expect([swift.state.released, angle.state.released]).toEqual([1, 1]);
    const none = fakeCandidate('second (compatibility)', async () => null);
    const alone = fakeCandidate('first (core)', async () => adapterNamed('swiftshader', true));
    await expect(acquireGpu({ candidates: [alone.candidate, none.candidate], hint: '' })).rejects.toThrowError(
      new GpuError('requestDevice on first (core) failed: device of swiftshader'),
    );
    expect([alone.state.released, none.state.released]).toEqual([1, 1]);
  });

  test('no adapter anywhere lists the attempts and the hint', async () => {
    const a = fakeCandidate('first (core)', async () => null);
    const b = fakeCandidate('second (compatibility)', async () => null);
    await expect(acquireGpu({ candidates: [a.candidate, b.candidate], hint: 'install something' })).rejects.toThrowError(
      new GpuError('no WebGPU adapter (tried first (core), second (compatibility)); install something'),
    );
    expect([a.state.released, b.state.released]).toEqual([1, 1]);
  });
});
