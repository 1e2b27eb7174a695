import { build, type BuildOptions, type Metafile } from 'esbuild';
import { join } from 'node:path';
import { inferenceWgsl } from './inference-wgsl.ts';

/** How both browser bundles are built: one minified ES module each, for current browsers. */
export const BROWSER_BUNDLE: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/** The browser library (src/browser.ts) as one ES module with the inference WGSL inlined; its text and inputs. */
export async function bundleLibrary(root: string): Promise<{ js: string; metafile: Metafile; wgsl: Record<string, string> }> {
  const wgsl = inferenceWgsl(root);
  const result = await build({
    ...BROWSER_BUNDLE,
    entryPoints: [join(root, 'src', 'browser.ts')],
    define: { MSSE_INFERENCE_WGSL: JSON.stringify(wgsl) },
    write: false,
    metafile: true,
    outfile: 'msse.js',
  });
  return { js: result.outputFiles[0]!.text, metafile: result.metafile, wgsl };
}
