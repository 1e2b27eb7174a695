import { build, type Plugin } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BROWSER_BUNDLE, bundleLibrary } from './bundle-library.ts';

/** One file of the web folder and its size. */
export interface WebFile {
  readonly name: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

/**
 * Writes the web folder `out` (replacing it) from the package at `root`: msse.js is the library (src/browser.ts,
 * one minified ES module, and msse-*.js its chunks: each backend's is fetched only when that backend runs, the
 * WebGPU one with the inference WGSL inlined); page.js the demo page's script, which imports ./msse.js;
 * mfcc.wasm the front end; network.wasm the WebAssembly backend's kernels (network-mt.wasm the same on shared
 * memory, for cross-origin isolated pages: threads); emodb.safetensors the shipped model, copied as is; index.html
 * and style.css.
 * Returns every file with its size, raw and gzip (level 9).
 */
export async function buildWeb(root: string, out: string): Promise<WebFile[]> {
  const library = join(root, 'src', 'browser.ts');
  // The page imports the library by its source path; in the web folder it is the sibling msse.js, loaded once.
  const libraryAsSibling: Plugin = {
    name: 'msse-library-as-sibling',
    setup(b) {
      b.onResolve({ filter: /browser\.ts$/ }, (args) =>
        resolve(args.resolveDir, args.path) === library ? { path: './msse.js', external: true } : undefined,
      );
    },
  };
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const [name, text] of (await bundleLibrary(root)).files) writeFileSync(join(out, name), text);
  await build({ ...BROWSER_BUNDLE, entryPoints: [join(root, 'src', 'web', 'page.ts')], outfile: join(out, 'page.js'), plugins: [libraryAsSibling] });
  for (const wasm of ['mfcc.wasm', 'network.wasm', 'network-mt.wasm']) copyFileSync(join(root, 'build', wasm), join(out, wasm));
  copyFileSync(join(root, 'models', 'emodb.safetensors'), join(out, 'emodb.safetensors'));
  for (const file of ['index.html', 'style.css']) copyFileSync(join(root, 'src', 'web', file), join(out, file));
  return readdirSync(out)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(out, name));
      return { name, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
    });
}
