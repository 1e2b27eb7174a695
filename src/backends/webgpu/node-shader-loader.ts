import { readAssetText } from '../../assets.ts';
import type { ShaderLoader } from './pipeline-cache.ts';

/** Node's ShaderLoader: reads `shaders/<family>.wgsl` from the package. Kept apart so browser bundles skip node:fs. */
export const readShaderFile: ShaderLoader = (family) => readAssetText(`shaders/${family}.wgsl`);
