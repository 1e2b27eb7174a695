import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GpuError } from '../../../src/errors.ts';
import { openNodeGpu } from '../../../src/platform/node/backends.ts';
import { type GpuContext } from '../../../src/backends/webgpu/device.ts';
import { createDispatchContext, dispatch, type DispatchContext } from '../../../src/backends/webgpu/dispatch.ts';
import { readShaderFile } from '../../../src/platform/node/assets.ts';
import { reluForward } from '../../../src/backends/webgpu/relu.ts';
import { readback, upload } from '../../../src/backends/webgpu/transfer.ts';
import { repoRoot } from '../../support/paths.ts';

// A kernel with a type error on line 5 (column 16); the rest follows the shaders/ conventions.
const BROKEN_WGSL = `struct Params { total: u32 }
@group(0) @binding(0) var<uniform> p: Params;
override WG: u32 = 64;
@compute @workgroup_size(WG) fn forward() {
  let a: u32 = 1.5;
}
`;

describe('GPU errors are GpuErrors naming the pipeline, not just Dawn stderr', { timeout: 30_000 }, () => {
  let gpu: GpuContext;
  let k: DispatchContext;
  beforeAll(async () => {
    gpu = await openNodeGpu();
    // The injectable loader serves the broken kernel as family 'broken', the real files otherwise.
    k = createDispatchContext(gpu, (family) => (family === 'broken' ? BROKEN_WGSL : readShaderFile(family)));
  }, 30_000);
  afterAll(() => gpu?.destroy());

  test('invalid WGSL: the next readback rejects with the label, file, line and Tint message', async () => {
    k.pipelines.get('broken', 'forward');
    const x = upload(k, new Float32Array([1, -1]), 'x');
    await expect(readback(k, x, 2)).rejects.toThrowError(
      new GpuError("pipeline broken.forward: shaders/broken.wgsl:5:16: cannot convert value of type 'abstract-float' to type 'u32'"),
    );
    // Reported once: the same device then runs a good kernel.
    const y = k.pool.acquire(8, 'y');
    reluForward(k, x, y, 2);
    expect([...(await readback(k, y, 2))]).toEqual([1, 0]);
  });

  test('a missing entry point names the pipeline', async () => {
    k.pipelines.get('relu', 'sideways');
    await expect(gpu.errors.check()).rejects.toThrowError(
      new GpuError('pipeline relu.sideways: Entry point ""sideways"" doesn\'t exist in the shader module [ShaderModule "shaders/relu.wgsl"].'),
    );
  });

  test('a dispatch with a missing binding names the dispatch', async () => {
    const x = upload(k, new Float32Array(4), 'x');
    const dy = upload(k, new Float32Array(4), 'dy');
    // relu.backward reads x, dy and writes dx: give it two buffers.
    dispatch(k, 'relu', 'backward', new Uint32Array([4, 0, 0, 0]), [x, dy], 4);
    await expect(gpu.errors.check()).rejects.toThrowError(
      new GpuError('dispatch relu.backward: Number of entries (3) did not match the expected number of entries (4) for [BindGroupLayoutInternal (unlabeled)].'),
    );
  });

  test('a shader file that is not there is a GpuError with its path', () => {
    expect(() => k.pipelines.get('no-such-family', 'forward')).toThrowError(
      new GpuError(
        `cannot load shaders/no-such-family.wgsl: ENOENT: no such file or directory, open '${join(repoRoot, 'shaders', 'no-such-family.wgsl')}'`,
      ),
    );
  });
});
