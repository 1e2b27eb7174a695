import type { Shape } from '../../runtime/tensor.ts';
import { BufferPool } from './buffer-pool.ts';
import type { GpuContext } from './device.ts';
import { dispatchSize, WORKGROUP_SIZE } from './dispatch-size.ts';
import { PipelineCache, type ShaderLoader } from './pipeline-cache.ts';
import { CommandRecorder } from './recorder.ts';
import { UniformCache } from './uniforms.ts';

/** What a kernel wrapper needs: the device, its pipelines, Params buffers, storage pool and the open command buffer. */
export interface DispatchContext {
  readonly gpu: GpuContext;
  readonly pipelines: PipelineCache;
  readonly uniforms: UniformCache;
  readonly pool: BufferPool;
  readonly recorder: CommandRecorder;
}

/** Sets up the dispatch machinery on an open device; `load` gives WGSL by family (Node: `readShaderFile`). */
export function createDispatchContext(gpu: GpuContext, load: ShaderLoader): DispatchContext {
  const recorder = new CommandRecorder(gpu);
  return {
    gpu,
    pipelines: new PipelineCache(gpu, load),
    uniforms: new UniformCache(gpu, () => recorder.flush()),
    pool: new BufferPool(gpu, recorder),
    recorder,
  };
}

/**
 * Records `entry` of `shaders/<family>.wgsl` over `total` invocations: Params (`packParams` words) at binding 0,
 * `buffers` at bindings 1, 2, … in the kernel's order (inputs, then outputs), each bound whole; `shapes` are their
 * tensors' shapes, kept for `msse inspect --ops`. Nothing is
 * submitted until `ctx.recorder.flush()`; errors surface at the next read-back, labelled `dispatch <family.entry>`.
 */
export function dispatch(
  ctx: DispatchContext,
  family: string,
  entry: string,
  params: Uint32Array,
  buffers: readonly GPUBuffer[],
  total: number,
  shapes: readonly Shape[] = [],
): void {
  const label = `${family}.${entry}`;
  const workgroups = dispatchSize(total, WORKGROUP_SIZE, ctx.gpu.limits.maxComputeWorkgroupsPerDimension);
  ctx.gpu.errors.scoped(`dispatch ${label}`, () => {
    const pipeline = ctx.pipelines.get(family, entry);
    if (workgroups[0] === 0) return;
    const bindGroup = ctx.gpu.device.createBindGroup({
      label,
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: ctx.uniforms.get(params) } },
        ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
      ],
    });
    ctx.recorder.dispatch({ label, workgroups, invocations: total, shapes, pipeline, bindGroup });
  });
}
