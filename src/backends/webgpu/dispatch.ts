import { BufferPool } from './buffer-pool.ts';
import type { GpuContext } from './device.ts';
import { dispatchSize, WORKGROUP_SIZE } from './dispatch-size.ts';
import { PipelineCache, type ShaderLoader } from './pipeline-cache.ts';
import { UniformCache } from './uniforms.ts';

/** What a kernel wrapper needs: the device, its pipelines, Params buffers and storage pool. */
export interface Kernels {
  readonly gpu: GpuContext;
  readonly pipelines: PipelineCache;
  readonly uniforms: UniformCache;
  readonly pool: BufferPool;
}

/** Sets up the dispatch machinery on an open device; `load` gives WGSL by family (Node: `readShaderFile`). */
export function createKernels(gpu: GpuContext, load: ShaderLoader): Kernels {
  return { gpu, pipelines: new PipelineCache(gpu, load), uniforms: new UniformCache(gpu), pool: new BufferPool(gpu) };
}

/**
 * Runs `entry` of `shaders/<family>.wgsl` over `total` invocations: Params (`packParams` words) at binding 0,
 * `buffers` at bindings 1, 2, … in the kernel's order (inputs, then outputs), each bound whole. One submit per
 * dispatch; errors surface at the next readback, labelled `dispatch <family.entry>`.
 */
export function dispatch(
  k: Kernels,
  family: string,
  entry: string,
  params: Uint32Array,
  buffers: readonly GPUBuffer[],
  total: number,
): void {
  const label = `${family}.${entry}`;
  const [x, y] = dispatchSize(total, WORKGROUP_SIZE, k.gpu.limits.maxComputeWorkgroupsPerDimension);
  k.gpu.errors.scoped(`dispatch ${label}`, () => {
    const pipeline = k.pipelines.get(family, entry);
    if (x === 0) return;
    const { device } = k.gpu;
    const bindGroup = device.createBindGroup({
      label,
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: k.uniforms.get(params) } },
        ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
      ],
    });
    const encoder = device.createCommandEncoder({ label });
    const pass = encoder.beginComputePass({ label });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y);
    pass.end();
    device.queue.submit([encoder.finish()]);
  });
}
