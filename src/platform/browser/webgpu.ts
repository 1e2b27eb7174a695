/**
 * The page's WebGPU inference kernels, a chunk of their own (fetched only when WebGPU runs the model): the
 * kernels and the inference WGSL, which the web build inlines (scripts/web/build-web.ts).
 */
import type { GpuContext } from '../../backends/webgpu/device.ts';
import { webGpuInferenceOn } from '../../backends/webgpu/inference.ts';
import { MsseError } from '../../errors.ts';

/**
 * JSON of family → WGSL of its inference entry points, comments stripped: set by the web build (esbuild `define`).
 * A string, not an object: esbuild inlines a string where it is used (this chunk), an object in a shared chunk.
 */
declare const MSSE_INFERENCE_WGSL: string;

export function webGpuInference(gpu: GpuContext) {
  const wgsl = JSON.parse(MSSE_INFERENCE_WGSL) as Readonly<Record<string, string>>;
  return webGpuInferenceOn(gpu, (family) => {
    const code = wgsl[family];
    if (code === undefined) throw new MsseError(`no inference WGSL for '${family}' in this bundle`);
    return code;
  });
}
