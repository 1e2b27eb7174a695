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
  /** msse.js and its chunks: shared ones it imports, and each backend's, which it imports on demand. */
  readonly files: ReadonlyMap<string, string>;
  /** msse.js's text. */
  readonly js: string;
  readonly metafile: Metafile;
  /** Family → the WGSL inlined for the WebGPU backend. */
  readonly wgsl: Record<string, string>;
  /**
   * The JS files a page loads to run a model on the backend whose module is `backendModule` (e.g.
   * `src/platform/browser/wasm.ts`): msse.js, the chunk holding that module, and what either imports statically.
   */
  loadedFor(backendModule: string): string[];
}

/**
 * The browser library (src/browser.ts) as msse.js, split where it imports on demand: each backend (WebGPU with the
 * inference WGSL inlined, WebAssembly, the reference) is a chunk a page fetches only when that backend runs.
 */
export async function bundleLibrary(root: string): Promise<LibraryBundle> {
  const wgsl = inferenceWgsl(root);
  const result = await build({
    ...BROWSER_BUNDLE,
    entryPoints: { msse: join(root, 'src', 'browser.ts') },
    define: { MSSE_INFERENCE_WGSL: JSON.stringify(JSON.stringify(wgsl)) },
    splitting: true,
    chunkNames: 'msse-[name]-[hash]',
    outdir: 'out',
    write: false,
    metafile: true,
  });
  const files = new Map(result.outputFiles.map((f) => [basename(f.path), f.text]));
  const outputs = result.metafile.outputs;
  /** `output` and everything it imports statically, transitively, by file name. */
  const closure = (output: string, into = new Set<string>()): Set<string> => {
    if (into.has(basename(output))) return into;
    into.add(basename(output));
    for (const i of outputs[output]!.imports) if (i.kind === 'import-statement') closure(i.path, into);
    return into;
  };
  const loadedFor = (backendModule: string): string[] => {
    const chunk = Object.keys(outputs).find((o) => backendModule in outputs[o]!.inputs);
    if (chunk === undefined) throw new Error(`no chunk of the library holds ${backendModule}`);
    return [...closure(chunk, closure('out/msse.js'))];
  };
  return { files, js: files.get('msse.js')!, metafile: result.metafile, wgsl, loadedFor };
}
