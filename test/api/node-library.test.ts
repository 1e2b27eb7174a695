import { threadWords } from '../../src/api/open-backend.ts';
import { defaultWasmThreads } from '../../src/platform/node/workers.ts';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Classification, LoadProgress, MsseModel, WindowResult } from '../../src/api/types.ts';
import { loadModel, type MsseError } from '../../src/node.ts';
import { startStaticServer } from '../../src/cli/static-server.ts';
import { readWavFile } from '../../src/platform/node/wav-file.ts';
import { runMsse } from '../support/cli.ts';
import { emodbWavDir, repoRoot } from '../support/paths.ts';

const modelPath = join(repoRoot, 'models', 'emodb.safetensors');
const wav = (name: string) => readWavFile(join(emodbWavDir, name));
const maxDiff = (a: Classification, b: Classification) => Math.max(...Object.keys(a.probs).map((k) => Math.abs(a.probs[k]! - b.probs[k]!)));

describe('the Node library: loadModel from the package', () => {
  let model: MsseModel;
  beforeAll(async () => {
    model = await loadModel(undefined, { backend: 'webgpu' });
  });
  afterAll(() => model?.dispose());

  test('loads the shipped model on WebGPU and says which adapter runs it', () => {
    expect(model.labels).toEqual(['anger', 'boredom', 'disgust', 'fear', 'happiness', 'sadness', 'neutral']);
    expect(model.backend.name).toBe('webgpu');
    expect(model.backend.description).toMatch(/^webgpu on .*llvmpipe.* \(opengles, compatibility\)$/);
    expect(model.frontEnd.lengthSamples).toBe(96000);
  });

  test('classify gives what `msse classify --json` prints for the same files', async () => {
    const files = ['03a01Wa.wav', '03a01Nc.wav'];
    const cli = JSON.parse(runMsse(['classify', modelPath, ...files.map((f) => join(emodbWavDir, f)), '--json', '--backend', 'webgpu']).stdout) as Classification[];
    for (const [i, file] of files.entries()) {
      const { samples, sampleRateHz } = wav(file);
      const got = await model.classify(samples, sampleRateHz);
      expect(got.label).toBe(cli[i]!.label);
      expect(maxDiff(got, cli[i]!)).toBeLessThan(1e-6);
    }
  });

  test('channels are averaged, the batch form equals one by one, mfcc is frames x 39', async () => {
    const { samples, sampleRateHz } = wav('03a01Wa.wav');
    const mono = await model.classify(samples, sampleRateHz);
    const stereo = await model.classify([samples, samples], sampleRateHz);
    expect(maxDiff(stereo, mono)).toBe(0);
    const other = wav('03a01Nc.wav');
    const batch = await model.classifyBatch([{ audio: samples, sampleRateHz }, { audio: other.samples, sampleRateHz: other.sampleRateHz }]);
    expect(maxDiff(batch[0]!, mono)).toBeLessThan(1e-6);
    expect(maxDiff(batch[1]!, await model.classify(other.samples, other.sampleRateHz))).toBeLessThan(1e-6);
    expect(model.mfcc(samples, sampleRateHz).length).toBe(188 * 39);
  });

  test('a stream over a file longer than the window gives its timeline; each window equals classify of its samples', async () => {
    const parts = ['03a01Wa.wav', '03a01Nc.wav', '03a02Fc.wav'].map((f) => wav(f).samples);
    const rate = 22050;
    const long = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((offset, p) => (long.set(p, offset), offset + p.length), 0);
    const results: WindowResult[] = [];
    const stream = model.stream({ sampleRateHz: rate, onResult: (r) => results.push(r) });
    for (let at = 0; at < long.length; at += 4096) await stream.push(long.subarray(at, at + 4096));
    await stream.end();
    // 6 s, window 96000 samples, hop 0.5 s: boundaries at 4.5, 5.0, 5.5 s, then the end at 6.0 s is one.
    expect(results.map((r) => r.endSeconds)).toEqual([4.5, 5, 5.5, 6]);
    const last = results.at(-1)!;
    expect(last.startSeconds).toBeCloseTo(6 - 96000 / rate, 9);
    expect(maxDiff(last, await model.classify(long.subarray(long.length - 96000), rate))).toBeLessThan(1e-6);
  });

  test('profile() lists the dispatches of one batch-1 forward (the fused one, at most 30)', async () => {
    const profile = await model.profile();
    expect(profile.batch).toBe(1);
    expect(profile.pass).toBe('fused forward (inference)');
    expect(profile.rows.length).toBeGreaterThan(10);
    expect(profile.rows.length).toBeLessThanOrEqual(30);
    expect(profile.rows.every((r) => !r.label.includes('backward'))).toBe(true);
  });
});

describe('loadModel sources, backends and errors', () => {
  test('auto takes the WebAssembly backend where Dawn\'s adapter is Mesa llvmpipe, says why, and agrees with webgpu', async () => {
    const { samples, sampleRateHz } = wav('03a01Wa.wav');
    const auto = await loadModel();
    const gpu = await loadModel(modelPath, { backend: 'webgpu' });
    try {
      expect(auto.backend.name).toBe('wasm');
      expect(auto.backend.description).toMatch(
        new RegExp(`^wasm \\(WebAssembly SIMD128 on the CPU, ${threadWords(defaultWasmThreads())}\\); the WebGPU adapter is software: llvmpipe.* \\(opengles, compatibility\\)$`),
      );
      expect(auto.backend.adapter?.device).toMatch(/^llvmpipe/);
      expect(maxDiff(await auto.classify(samples, sampleRateHz), await gpu.classify(samples, sampleRateHz))).toBeLessThan(1e-5);
    } finally {
      auto.dispose();
      gpu.dispose();
    }
  });

  test('bytes and a path give the same model; reference agrees with webgpu within 1e-5', async () => {
    const { samples, sampleRateHz } = wav('03a01Wa.wav');
    const fromBytes = await loadModel(readFileSync(modelPath), { backend: 'webgpu' });
    const reference = await loadModel(modelPath, { backend: 'reference' });
    try {
      expect(reference.backend.description).toBe('reference (float64 TypeScript on the CPU)');
      expect(maxDiff(await fromBytes.classify(samples, sampleRateHz), await reference.classify(samples, sampleRateHz))).toBeLessThan(1e-5);
    } finally {
      fromBytes.dispose();
      reference.dispose();
    }
  });

  test('an http URL is fetched with progress; a missing one is one line naming it', async () => {
    const server = await startStaticServer({ root: join(repoRoot, 'models'), port: 0, host: '127.0.0.1' });
    const progress: LoadProgress[] = [];
    try {
      const model = await loadModel(`${server.url}emodb.safetensors`, { backend: 'wasm', onProgress: (p) => progress.push(p) });
      model.dispose();
      const size = readFileSync(modelPath).length;
      expect(progress.at(-1)).toEqual({ loadedBytes: size, totalBytes: size });
      expect(progress.every((p, i) => i === 0 || p.loadedBytes >= progress[i - 1]!.loadedBytes)).toBe(true);
      const missing = await loadModel(`${server.url}nothing.safetensors`).catch((e: MsseError) => e.line);
      expect(missing).toBe(`${server.url}nothing.safetensors: cannot fetch: HTTP 404 Not Found`);
    } finally {
      server.close();
    }
  });

  test.each([
    ['a missing file', () => loadModel('/nonexistent/m.safetensors'), '/nonexistent/m.safetensors: cannot read file: no such file (ENOENT)'],
    ['a WAV given as a model', () => loadModel(join(emodbWavDir, '03a01Wa.wav')), 'not'],
    ['an unknown backend', () => loadModel(modelPath, { backend: 'cuda' as never }), 'unknown backend "cuda"'],
  ])('%s is one clear error', async (_, load, message) => {
    const error = await load().then(() => undefined, (e: Error & { line?: string }) => e);
    expect(error?.line ?? error?.message).toContain(message);
  });

  test("`import { loadModel } from 'msse'` works from Node ESM (package exports, built dist/lib)", () => {
    const script = `import { loadModel } from 'msse';
      const m = await loadModel(undefined, { backend: 'reference' });
      console.log(JSON.stringify({ labels: m.labels.length, backend: m.backend.name })); m.dispose();`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).not.toMatch(/Error/);
    expect(JSON.parse(run.stdout)).toEqual({ labels: 7, backend: 'reference' });
  });
});
