import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { bundleLibrary } from '../../scripts/web/bundle-library.ts';
import { INFERENCE_ENTRIES } from '../../src/backends/webgpu/inference-entries.ts';
import { repoRoot } from '../support/paths.ts';

/** JS + WASM + WGSL of the page, gzip: the budget (model weights excluded). */
const BUDGET_GZIP_BYTES = 40 * 1024;

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
    const inference = new Set(Object.values(INFERENCE_ENTRIES).flat());
    const training = allShaderEntries().filter((e) => !inference.has(e));
    expect(training.length).toBeGreaterThan(20);
    // `step` (Adam's entry) is also a dropout attribute's name in the op code; Adam's absence is checked by module above.
    expect(training.filter((entry) => entry !== 'step' && allJs().includes(`"${entry}"`))).toEqual([]);
  });

  test('loads the float64 reference only on demand, as a chunk of its own', () => {
    expect(bundle.lazyChunks).toHaveLength(1);
    const [lazy] = bundle.lazyChunks;
    const inChunk = Object.keys(bundle.metafile.outputs[`out/${lazy}`]!.inputs);
    expect(inChunk).toContain('src/backends/reference/inference.ts');
    const eager = Object.entries(bundle.metafile.outputs).filter(([name]) => name !== `out/${lazy}`);
    expect(eager.flatMap(([, o]) => Object.keys(o.inputs)).filter((i) => i.startsWith('src/backends/reference/'))).toEqual([]);
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

  test(`JS + WASM + WGSL a page loads by default are at most ${BUDGET_GZIP_BYTES / 1024} KB gzip`, async () => {
    const { files, lazyChunks } = await bundleLibrary(repoRoot);
    const code = ['page.js', 'mfcc.wasm', ...[...files.keys()].filter((name) => !lazyChunks.includes(name))];
    const missing = [...code, ...lazyChunks].filter((file) => !existsSync(join(web, file)));
    expect(missing, 'run npm run build:web first').toEqual([]);
    const gzip = code.map((file) => gzipSync(readFileSync(join(web, file)), { level: 9 }).length);
    expect(gzip.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });

  test('holds the page, the front end and the shipped model byte for byte', () => {
    for (const file of ['index.html', 'style.css']) expect(existsSync(join(web, file)), file).toBe(true);
    expect(readFileSync(join(web, 'mfcc.wasm'))).toEqual(readFileSync(join(repoRoot, 'build', 'mfcc.wasm')));
    expect(readFileSync(join(web, 'emodb.safetensors'))).toEqual(readFileSync(join(repoRoot, 'models', 'emodb.safetensors')));
  });
});
