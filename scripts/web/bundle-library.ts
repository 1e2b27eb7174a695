import { build, type BuildOptions, type Metafile } from 'esbuild';
import { basename, join } from 'node:path';
import { inferenceWgsl } from './inference-wgsl.ts';

/** How both browser bundles are built: minified ES modules for current browsers. */
export const BROWSER_BUNDLE: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/** The library bundle: its files by name, and what esbuild says of them. */
export interface LibraryBundle {
  /** msse.js, and the chunks it imports (statically, or on demand like the reference backend's). */
  readonly files: ReadonlyMap<string, string>;
  /** msse.js's text. */
  readonly js: string;
  readonly metafile: Metafile;
  /** Family → the WGSL inlined in msse.js. */
  readonly wgsl: Record<string, string>;
  /** The chunks msse.js fetches only on demand (import()): not part of what a page loads by default. */
  readonly lazyChunks: readonly string[];
}

/**
 * The browser library (src/browser.ts) as msse.js with the inference WGSL inlined, split where it imports on
 * demand (the reference backend), so a page that runs WebGPU never downloads the reference's kernels.
 */
export async function bundleLibrary(root: string): Promise<LibraryBundle> {
  const wgsl = inferenceWgsl(root);
  const result = await build({
    ...BROWSER_BUNDLE,
    entryPoints: { msse: join(root, 'src', 'browser.ts') },
    define: { MSSE_INFERENCE_WGSL: JSON.stringify(wgsl) },
    splitting: true,
    chunkNames: 'msse-[name]-[hash]',
    outdir: 'out',
    write: false,
    metafile: true,
  });
  const files = new Map(result.outputFiles.map((f) => [basename(f.path), f.text]));
  const main = result.metafile.outputs['out/msse.js']!;
  const eager = new Set(main.imports.filter((i) => i.kind === 'import-statement').map((i) => basename(i.path)));
  const lazyChunks = [...files.keys()].filter((name) => name !== 'msse.js' && !eager.has(name));
  return { files, js: files.get('msse.js')!, metafile: result.metafile, wgsl, lazyChunks };
}
