import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../support/paths.ts';

/** A consumer project in a temp folder with this package installed as node_modules/msse (a link to the repository). */
function consumer(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'msse-consumer-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repoRoot, join(dir, 'node_modules', 'msse'));
  for (const [name, text] of Object.entries({ 'package.json': '{ "type": "module" }', ...files })) writeFileSync(join(dir, name), text);
  return dir;
}

const tsc = (dir: string, config: string) =>
  spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, config)], { encoding: 'utf8' });

describe("import { loadModel } from 'msse', as a user's project sees the package (exports, built dist/)", () => {
  test('a bundler targeting the browser gets dist/web/msse.js, with no Node module', async () => {
    const dir = consumer({ 'app.js': "import { loadModel } from 'msse';\nexport const load = () => loadModel();\n" });
    const result = await build({ entryPoints: [join(dir, 'app.js')], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent', absWorkingDir: dir });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.endsWith('dist/web/msse.js'))).toBe(true);
    expect(inputs.filter((i) => i.startsWith('node:') || i.includes('node_modules/webgpu'))).toEqual([]);
  });

  test.each([
    [
      'browser (moduleResolution Bundler, DOM types)',
      `import { loadModel, type Classification } from 'msse';
       const model = await loadModel(undefined, { backend: 'auto', onProgress: (p) => console.log(p.loadedBytes, p.totalBytes) });
       const result: Classification = await model.classify([new Float32Array(16000), new Float32Array(16000)], 48000);
       const p: number | undefined = result.probs['anger'];
       model.stream({ sampleRateHz: 48000, onResult: (r) => console.log(r.startSeconds, r.label, p) });`,
      { module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], types: [] },
    ],
    [
      'Node (NodeNext)',
      `import { readFileSync } from 'node:fs';
       import { loadModel, decodeWav } from 'msse';
       const wav = decodeWav(readFileSync('a.wav'), 'a.wav');
       const model = await loadModel('model.safetensors', { backend: 'reference' });
       console.log((await model.classify(wav.samples, wav.sampleRateHz)).label, model.backend.description);`,
      { module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], typeRoots: [join(repoRoot, 'node_modules', '@types')] },
    ],
  ])('the emitted types check a %s project strictly', (_, code, options) => {
    const dir = consumer({
      'index.ts': code,
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', strict: true, noEmit: true, ...options }, files: ['index.ts'] }),
    });
    const run = tsc(dir, 'tsconfig.json');
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  test('a type error in the user code is reported against the emitted types (the check can fail)', () => {
    const dir = consumer({
      'index.ts': "import { loadModel } from 'msse';\nawait loadModel(undefined, { backend: 'cuda' });\n",
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true }, files: ['index.ts'] }),
    });
    const run = tsc(dir, 'tsconfig.json');
    expect(run.status).not.toBe(0);
    expect(run.stdout).toContain('"cuda"');
  });
});
