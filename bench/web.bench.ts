// `npm run bench -- web`: what a user of the library waits for, in Node and in Chromium (issue 14's numbers).
// Node: process start to first probabilities (`import { loadModel } from 'msse'`, a fresh process each time), and
// in-process loadModel, first classify and steady classify (tinybench). Chromium (Debian's, headless, the ANGLE →
// llvmpipe WebGPU flags of the runbook): navigation to the page's first result for a WAV chosen in the file input,
// and the per-utterance latency the page reports (data-ms). Then the web folder's files, raw and gzip.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { buildWeb } from '../scripts/web/build-web.ts';
import { bundleLibrary } from '../scripts/web/bundle-library.ts';
import { startStaticServer } from '../src/cli/static-server.ts';
import { loadModel } from '../src/node.ts';
import { packageRoot } from '../src/platform/node/assets.ts';
import { readWavFile } from '../src/platform/node/wav-file.ts';
import { launchChromium } from '../test/support/chromium.ts';
import { machineLine } from './machine.ts';

const root = packageRoot();
const wavs = ['03a01Wa.wav', '03a01Nc.wav', '03a01Fa.wav', '03a02Fc.wav', '03a02Nc.wav'].map((f) => join(root, '..', 'shared', 'data', 'emodb', 'wav', f));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)} ms (median ${median(xs).toFixed(0)})`;

console.log(`machine: ${machineLine()}`);

// Node, a fresh process each time: start to the first probabilities printed.
const script = `import { readFileSync } from 'node:fs'; import { loadModel, decodeWav } from 'msse';
const wav = decodeWav(readFileSync(${JSON.stringify(wavs[0])}), 'x.wav');
const m = await loadModel(); const r = await m.classify(wav.samples, wav.sampleRateHz); console.log(r.label); m.dispose();`;
const coldNode: number[] = [];
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  coldNode.push(performance.now() - started);
}
console.log(`node: process start to first probabilities: ${range(coldNode)}`);

// Node, in process, each backend in turn; tinybench runs them side by side.
const bench = new Bench({ time: 3000, warmupTime: 500 });
const utterances = wavs.map((f) => readWavFile(f));
const models = [];
for (const backend of ['auto', 'webgpu'] as const) {
  const started = performance.now();
  const model = await loadModel(undefined, { backend });
  const loaded = performance.now();
  const first = readWavFile(wavs[0]!);
  await model.classify(first.samples, first.sampleRateHz);
  console.log(`node ${backend}: loadModel ${(loaded - started).toFixed(0)} ms, first classify ${(performance.now() - loaded).toFixed(0)} ms (${model.backend.description})`);
  let next = 0;
  bench.add(`node classify, ${model.backend.name} (one utterance, MFCC + network)`, async () => {
    const u = utterances[next++ % utterances.length]!;
    await model.classify(u.samples, u.sampleRateHz);
  });
  models.push(model);
}
await bench.run();
for (const task of bench.tasks) {
  const r = task.result as { latency: { mean: number; p99: number; samplesCount: number } };
  console.log(`${task.name}: mean ${r.latency.mean.toFixed(1)} ms, p99 ${r.latency.p99.toFixed(1)} ms, ${r.latency.samplesCount} samples`);
}
for (const model of models) model.dispose();

// Chromium.
const web = mkdtempSync(join(tmpdir(), 'msse-bench-web-'));
const files = await buildWeb(root, web);
const server = await startStaticServer({ root: web, port: 0, host: '127.0.0.1' });
for (const query of ['', '?backend=webgpu']) {
const coldPage: number[] = [];
const steady: number[] = [];
let backend = '';
try {
  for (let i = 0; i < 3; i++) {
    const chromium = await launchChromium({ webgpu: 'llvmpipe' });
    try {
      const { page } = chromium;
      const navigated = performance.now();
      await page.goto(`${server.url}${query}`);
      await page.waitForSelector('[data-msse="ready"][data-ready="true"]', { timeout: 60_000 });
      await page.setInputFiles('[data-msse="file"]', wavs[0]!);
      await page.waitForSelector('[data-msse="source"][data-state="done"]', { timeout: 60_000 });
      coldPage.push(performance.now() - navigated);
      backend = (await page.locator('[data-msse="backend"]').textContent()) ?? '';
      if (i > 0) continue;
      for (const wav of [...wavs, ...wavs]) {
        const name = wav.split('/').at(-1)!;
        await page.setInputFiles('[data-msse="file"]', wav);
        await page.waitForSelector(`[data-msse="source"][data-name="${name}"][data-state="done"]`, { timeout: 60_000 });
        steady.push(Number(await page.locator('[data-msse="result"]').getAttribute('data-ms')));
      }
    } finally {
      await chromium.close();
    }
  }
} finally {
  if (query !== '') server.close();
}
console.log(`chromium ${query || '(auto)'}: ${backend}`);
console.log(`chromium ${query || '(auto)'}: navigation to first result (fresh browser each time): ${range(coldPage)}`);
console.log(`chromium ${query || '(auto)'}: per utterance, as the page reports it (10 files after the first): ${range(steady.slice(1))}`);
}
console.log('\n| file | bytes | gzip -9 |\n| --- | --- | --- |');
for (const f of files) console.log(`| ${f.name} | ${f.bytes} | ${f.gzipBytes} |`);
const bundle = await bundleLibrary(root);
const gzipOf = new Map(files.map((f) => [f.name, f.gzipBytes]));
for (const [backend, module] of Object.entries({ webgpu: 'src/platform/browser/webgpu.ts', wasm: 'src/platform/browser/wasm.ts', reference: 'src/backends/reference/inference.ts' })) {
  const loaded = ['page.js', 'mfcc.wasm', ...bundle.loadedFor(module), ...(backend === 'wasm' ? ['network.wasm'] : [])];
  const code = loaded.reduce((n, f) => n + gzipOf.get(f)!, 0);
  console.log(`JS + WASM + WGSL a page loads for ${backend}: ${code} B gzip = ${(code / 1024).toFixed(1)} KiB of the 40 KiB budget`);
}
