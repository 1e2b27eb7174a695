import { GpuError } from '../../errors.ts';
import type { GpuContext } from './device.ts';
import { WORKGROUP_SIZE } from './dispatch-size.ts';
import { firstLine } from './error-tracker.ts';

/**
 * Returns the WGSL text of `shaders/<family>.wgsl`. Node reads the file (`readShaderFile`); a browser bundle
 * passes the text esbuild inlined, so both run the same source.
 */
export type ShaderLoader = (family: string) => string;

/** WGSL `override` values of one pipeline, by name. */
export type OverrideConstants = Readonly<Record<string, number>>;

/** Every msse kernel declares `override WG` and gets the one TS workgroup size through it. */
export const DEFAULT_CONSTANTS: OverrideConstants = { WG: WORKGROUP_SIZE };

/**
 * Compute pipelines labelled `family.entry`, built once per (family, entry, override constants) with layout
 * 'auto'; one shader module per family. Creation errors surface at the next readback as
 * `pipeline <family.entry>: shaders/<family>.wgsl:<line>:<column>: <WGSL message>`.
 */
export class PipelineCache {
  readonly #modules = new Map<string, GPUShaderModule>();
  readonly #pipelines = new Map<string, GPUComputePipeline>();

  constructor(
    private readonly gpu: GpuContext,
    private readonly load: ShaderLoader,
  ) {}

  /** The pipeline running `entry` of `shaders/<family>.wgsl`. */
  get(family: string, entry: string, constants: OverrideConstants = DEFAULT_CONSTANTS): GPUComputePipeline {
    const label = `${family}.${entry}`;
    const key = `${label}(${Object.keys(constants)
      .sort()
      .map((name) => `${name}=${constants[name]}`)
      .join(',')})`;
    let pipeline = this.#pipelines.get(key);
    if (pipeline === undefined) {
      let module: GPUShaderModule | undefined;
      pipeline = this.gpu.errors.scoped(
        `pipeline ${label}`,
        () => {
          module = this.#module(family);
          return this.gpu.device.createComputePipeline({ label, layout: 'auto', compute: { module, entryPoint: entry, constants } });
        },
        async () => (module === undefined ? undefined : firstCompileError(module)),
      );
      this.#pipelines.set(key, pipeline);
    }
    return pipeline;
  }

  /** Pipelines built so far. */
  get size(): number {
    return this.#pipelines.size;
  }

  #module(family: string): GPUShaderModule {
    let module = this.#modules.get(family);
    if (module === undefined) {
      const file = `shaders/${family}.wgsl`;
      let code: string;
      try {
        code = this.load(family);
      } catch (error) {
        throw new GpuError(`cannot load ${file}: ${firstLine(error instanceof Error ? error.message : String(error))}`, {
          cause: error,
        });
      }
      // Created inside the first pipeline's error scope, so a WGSL error is reported with that pipeline's label.
      module = this.gpu.device.createShaderModule({ label: file, code });
      this.#modules.set(family, module);
    }
    return module;
  }
}

/** `shaders/x.wgsl:3:10: expected ')'…` for the module's first WGSL error, or undefined when it compiled. */
async function firstCompileError(module: GPUShaderModule): Promise<string | undefined> {
  const { messages } = await module.getCompilationInfo();
  const error = messages.find((m) => m.type === 'error');
  return error === undefined ? undefined : `${module.label}:${error.lineNum}:${error.linePos}: ${firstLine(error.message)}`;
}
