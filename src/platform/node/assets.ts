import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ShaderLoader } from '../../backends/webgpu/pipeline-cache.ts';

/**
 * Node-side access to the files msse ships beside its code: build/mfcc.wasm and shaders/*.wgsl.
 * The same code runs from src/ (tests) and from the dist/cli.js bundle, so the package root is found by
 * walking up from this module to the folder whose package.json is msse's. The browser bundle inlines
 * these files instead (esbuild text/binary loaders) and never imports this module.
 */
let cachedRoot: string | undefined;

export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'msse') return (cachedRoot = dir);
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('msse package root not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Bytes of a file shipped with the package, by path relative to its root (e.g. `build/mfcc.wasm`). */
export function readAsset(relativePath: string): Uint8Array {
  return readFileSync(join(packageRoot(), relativePath));
}

/** Text of a shipped file, e.g. `shaders/relu.wgsl`. */
export function readAssetText(relativePath: string): string {
  return readFileSync(join(packageRoot(), relativePath), 'utf8');
}

/** Node's ShaderLoader: reads `shaders/<family>.wgsl` from the package. */
export const readShaderFile: ShaderLoader = (family) => readAssetText(`shaders/${family}.wgsl`);
