import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { bundleLibrary } from '../../scripts/web/bundle-library.ts';
import { INFERENCE_ENTRIES, UNFUSED_INFERENCE_ENTRIES } from '../../src/backends/webgpu/inference-entries.ts';
import { repoRoot } from '../support/paths.ts';

/** JS + WASM + WGSL of the page, gzip: the budget (model weights excluded). */
const BUDGET_GZIP_BYTES = 40 * 1024;

/** The module of each backend a page can load (src/browser.ts imports each on demand). */
const BACKEND_MODULES = {
  webgpu: 'src/platform/browser/webgpu.ts',
  wasm: 'src/platform/browser/wasm.ts',
  reference: 'src/backends/reference/inference.ts',
} as const;

/** Every compute entry point of a WGSL text. */
const entryPoints = (wgsl: string): string[] => [...wgsl.matchAll(/@compute[^{]*?fn\s+(\w+)/g)].map((m) => m[1]!);

describe('the browser library bundle (src/browser.ts)', () => {
  let bundle: Awaited<ReturnType<typeof bundleLibrary>>;
  beforeAll(async () => {
    bundle = await bundleLibrary(repoRoot);
  });

  test('reaches no Node module, no Dawn and no training code', () => {
    const inputs = Object.keys(bundle.metafile.inputs);
    const forbidden = [
      /^node:/,
      /node_modules\/webgpu\//,
      /^src\/(train|cli|platform\/node|check)\//,
      /^src\/runtime\/tape\.ts$/,
      /^src\/ops\/gradients\.ts$/,
      /^src\/model\/step\.ts$/,
      /^src\/ops\/adam\.ts$/,
      /^src\/backends\/(webgpu|reference)\/(adam|softmax-cross-entropy|backend|index)\.ts$/,
    ];
    expect(inputs.filter((input) => forbidden.some((f) => f.test(input)))).toEqual([]);
    expect(inputs).toContain('src/backends/webgpu/inference.ts');
    // Op-level backwards (each op's Gradient) are separate constants that only OP_GRADIENTS reaches.
    expect(allJs()).not.toMatch(/\.(backwardInput|backwardWeight|backwardB|backwardInputPerSample|backwardWeightPerSample)\(/);
  });

  test('inlines each family its inference entry points and nothing else, comments stripped', () => {
    expect(Object.keys(bundle.wgsl).sort()).toEqual(Object.keys(INFERENCE_ENTRIES).sort());
    for (const [family, wgsl] of Object.entries(bundle.wgsl)) {
      expect(entryPoints(wgsl).sort(), family).toEqual([...INFERENCE_ENTRIES[family]!].sort());
      expect(wgsl.includes('//') || wgsl.includes('/*'), family).toBe(false);
    }
  });

  test('names no training entry point of any shader (no backward, BatchNorm-statistics, dropout or Adam dispatch)', () => {
    // The unfused inference entries are not shipped (the page runs the fused forward) but their host code may name them.
    const inference = new Set([...Object.values(INFERENCE_ENTRIES), ...Object.values(UNFUSED_INFERENCE_ENTRIES)].flat());
    const training = allShaderEntries().filter((e) => !inference.has(e));
    expect(training.length).toBeGreaterThan(20);
    // `step` (Adam's entry) is also a dropout attribute's name in the op code; Adam's absence is checked by module above.
    expect(training.filter((entry) => entry !== 'step' && allJs().includes(`"${entry}"`))).toEqual([]);
  });

  test("keeps each backend in a chunk of its own: a page fetches one backend's code only", () => {
    const webgpu = bundle.loadedFor(BACKEND_MODULES.webgpu);
    const wasm = bundle.loadedFor(BACKEND_MODULES.wasm);
    const inputsOf = (files: string[]) => files.flatMap((f) => Object.keys(bundle.metafile.outputs[`out/${f}`]!.inputs));
    expect(inputsOf(webgpu).filter((i) => /^src\/backends\/(wasm|reference)\//.test(i))).toEqual([]);
    expect(inputsOf(wasm).filter((i) => /^src\/backends\/(reference\/|webgpu\/(inference|tensors|conv|dense))/.test(i))).toEqual([]);
    expect(inputsOf(bundle.loadedFor(BACKEND_MODULES.reference)).filter((i) => /^src\/backends\/wasm\//.test(i))).toEqual([]);
    const hasWgsl = (files: string[]) => files.some((f) => bundle.files.get(f)!.includes('@compute'));
    expect([hasWgsl(webgpu), hasWgsl(wasm)]).toEqual([true, false]);
  });

  /** Every file of the library bundle, the on-demand reference chunk included. */
  const allJs = () => [...bundle.files.values()].join('\n');
});

function allShaderEntries(): string[] {
  const shaders = join(repoRoot, 'shaders');
  return [...new Set(
    ['adam', 'add', 'batch-norm', 'concat', 'conv1d-causal', 'conv2d', 'dense', 'mul', 'reduce-sum', 'relu', 'reverse-time', 'sigmoid', 'softmax-cross-entropy', 'spatial-dropout', 'weighted-sum']
      .flatMap((family) => entryPoints(readFileSync(join(shaders, `${family}.wgsl`), 'utf8'))),
  )];
}

describe('dist/web (npm run build:web)', () => {
  const web = join(repoRoot, 'dist', 'web');

  test.each(Object.keys(BACKEND_MODULES) as (keyof typeof BACKEND_MODULES)[])(
    `JS + WASM + WGSL a page loads to run a model on %s are at most ${BUDGET_GZIP_BYTES / 1024} KiB gzip`,
    async (backend) => {
      const bundle = await bundleLibrary(repoRoot);
      // The wasm path loads network-mt.wasm in a cross-origin isolated page (threads), network.wasm elsewhere.
      const kernels = backend === 'wasm' ? [['network.wasm'], ['network-mt.wasm']] : [[]];
      for (const wasm of kernels) {
        const files = ['page.js', 'mfcc.wasm', ...bundle.loadedFor(BACKEND_MODULES[backend]), ...wasm];
        const missing = files.filter((file) => !existsSync(join(web, file)));
        expect(missing, 'run npm run build:web first').toEqual([]);
        const gzip = files.map((file) => gzipSync(readFileSync(join(web, file)), { level: 9 }).length);
        expect(gzip.reduce((a, b) => a + b, 0), files.join(' ')).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
      }
    },
  );

  test('holds the page, the front end and the shipped model byte for byte', () => {
    for (const file of ['index.html', 'style.css']) expect(existsSync(join(web, file)), file).toBe(true);
    for (const wasm of ['mfcc.wasm', 'network.wasm', 'network-mt.wasm']) expect(readFileSync(join(web, wasm))).toEqual(readFileSync(join(repoRoot, 'build', wasm)));
    expect(readFileSync(join(web, 'emodb.safetensors'))).toEqual(readFileSync(join(repoRoot, 'models', 'emodb.safetensors')));
  });
});
