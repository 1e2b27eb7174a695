import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildWeb } from '../../scripts/web/build-web.ts';
import { threadWords } from '../../src/api/open-backend.ts';
import { startStaticServer, type StaticServer } from '../../src/cli/static-server.ts';
import { decodeWav, loadModel, type Classification, type WindowResult } from '../../src/node.ts';
import { launchChromium, type ChromiumSession } from '../support/chromium.ts';
import { runMsse } from '../support/cli.ts';
import { repoRoot, sharedPath } from '../support/paths.ts';

/**
 * The demo page (src/web, built to dist/web) in headless Chromium, served by `msse serve`'s static server: files
 * through the file input on llvmpipe WebGPU, compared with `msse classify` in Node; a file longer than the
 * model's window, whose stream windows are compared with the Node library's stream; the fake microphone; and a
 * browser without WebGPU, which must say so and still run the reference backend. Two launches: llvmpipe with the
 * fake microphone for the first three, `none` for the last. The page is the one under test, so every case also
 * fails on any console error.
 */
const WAV_DIR = ['data', 'emodb', 'wav'];
const UTTERANCES = ['03a01Wa.wav', '03a01Nc.wav', '03a01Fa.wav'].map((name) => sharedPath(...WAV_DIR, name));
const MODEL = join(repoRoot, 'models', 'emodb.safetensors');
/** Page and Node agree to rounding: both run the same WASM front end; the network is f32 WGSL on two drivers. */
const TOLERANCE = 1e-4;
/** Bound on waiting for the page's model (a hung adapter request must fail the test, not time it out). */
const READY_WAIT_MS = 20_000;
/** Bound on one input's classification, stream included. */
const RESULT_WAIT_MS = 30_000;
/** Tall enough for screenshots to show every section down to the profile button. */
const SCREENSHOT_VIEWPORT = { width: 800, height: 1700 };

let server: StaticServer;
beforeAll(async () => {
  // The page as `npm run build:web` writes it, into a folder of this test's own (dist/web is bundle.test.ts's).
  const web = mkdtempSync(join(tmpdir(), 'msse-web-'));
  await buildWeb(repoRoot, web);
  server = await startStaticServer({ root: web, port: 0, host: '127.0.0.1' });
});
afterAll(() => server?.close());

/** `msse classify MODEL FILES --json` in Node, by file. */
function classifyInNode(files: readonly string[], backend: 'webgpu' | 'reference'): Map<string, Classification> {
  const run = runMsse(['classify', MODEL, ...files, '--json', '--backend', backend]);
  if (run.status !== 0) throw new Error(`msse classify failed (${run.status}): ${run.stderr}`);
  const results = JSON.parse(run.stdout) as (Classification & { file: string })[];
  return new Map(results.map(({ file, label, probs }) => [file, { label, probs }]));
}

async function waitForReady(page: Page): Promise<void> {
  await page.waitForSelector('[data-msse="ready"][data-ready="true"]', { timeout: READY_WAIT_MS });
}

/** Chooses `file` in the file input and waits until the page has classified it; returns the page's result. */
async function upload(page: Page, file: string): Promise<Classification> {
  const name = file.split('/').at(-1)!;
  await page.setInputFiles('[data-msse="file"]', file);
  await page.waitForSelector(`[data-msse="source"][data-name="${name}"][data-state="done"]`, { timeout: RESULT_WAIT_MS });
  return pageResult(page);
}

async function pageResult(page: Page): Promise<Classification> {
  const result = page.locator('[data-msse="result"]');
  return { label: (await result.getAttribute('data-label'))!, probs: JSON.parse((await result.getAttribute('data-probs'))!) };
}

async function timelinePoints(page: Page): Promise<number> {
  return Number(await page.locator('[data-msse="timeline"]').getAttribute('data-points'));
}

/**
 * Records every data-probs the result element shows from now on (each MutationRecord's old value, then the
 * current one): the page keeps only the latest result, the stream's earlier windows pass through it.
 */
async function recordResults(page: Page): Promise<() => Promise<Record<string, number>[]>> {
  await page.evaluate(() => {
    const seen: (string | null)[] = [];
    const observer = new MutationObserver((records) => seen.push(...records.map((r) => r.oldValue)));
    observer.observe(document.querySelector('[data-msse="result"]')!, { attributeFilter: ['data-probs'], attributeOldValue: true });
    Object.assign(window, { msseTest: { seen, observer } });
  });
  return async () => {
    const values = await page.evaluate(() => {
      const { seen, observer } = (window as unknown as { msseTest: { seen: (string | null)[]; observer: MutationObserver } }).msseTest;
      seen.push(...observer.takeRecords().map((r) => r.oldValue));
      observer.disconnect();
      return [...seen.slice(1), document.querySelector('[data-msse="result"]')!.getAttribute('data-probs')];
    });
    return values.filter((v): v is string => v !== null && v !== '').map((v) => JSON.parse(v) as Record<string, number>);
  };
}

/** The bytes behind the page's recording link (a blob: URL), fetched in the page and passed out as base64. */
async function downloadRecording(page: Page): Promise<Uint8Array> {
  await page.waitForSelector('[data-msse="recording"]:not([hidden])', { timeout: RESULT_WAIT_MS });
  const base64 = await page.evaluate(async () => {
    const link = document.querySelector<HTMLAnchorElement>('[data-msse="recording"]')!;
    const bytes = new Uint8Array(await (await fetch(link.href)).arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  });
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

function expectClose(got: Classification, want: Classification, what: string): void {
  expect(got.label, `${what}: label`).toBe(want.label);
  expectProbsClose(got.probs, want.probs, what);
}

function expectProbsClose(got: Readonly<Record<string, number>>, want: Readonly<Record<string, number>>, what: string): void {
  expect(Object.keys(got), `${what}: labels`).toEqual(Object.keys(want));
  for (const [label, p] of Object.entries(want)) {
    expect(Math.abs(got[label]! - p), `${what}: p(${label}) page ${got[label]} vs Node ${p}`).toBeLessThanOrEqual(TOLERANCE);
  }
}

function maxDifference(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): number {
  return Math.max(...Object.keys(b).map((label) => Math.abs(a[label]! - b[label]!)));
}

/** A distribution over exactly `labels`, whose label is its most probable class. */
function expectValidResult(result: Classification, labels: readonly string[]): void {
  expect(Object.keys(result.probs)).toEqual(labels);
  const values = Object.values(result.probs);
  for (const p of values) expect(p).toBeGreaterThanOrEqual(0);
  expect(Math.abs(values.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5); // f32 softmax
  expect(result.probs[result.label]).toBe(Math.max(...values));
}

/** 16-bit PCM mono WAV bytes of `samples` (values k / 32768, as decoded from 16-bit files, are kept exactly). */
function pcm16Wav(samples: Float32Array, sampleRateHz: number): Uint8Array {
  const bytes = new Uint8Array(44 + 2 * samples.length);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => [...text].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + 2 * samples.length, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRateHz, true);
  view.setUint32(28, 2 * sampleRateHz, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, 2 * samples.length, true);
  samples.forEach((x, i) => view.setInt16(44 + 2 * i, Math.max(-32768, Math.min(32767, Math.round(x * 32768))), true));
  return bytes;
}

/**
 * How many results MsseModel.stream gives for `totalSamples` pushed at once and then end() (src/api/stream.ts):
 * one at each hop boundary from the first with a whole window before it, then one more at end() if samples came
 * after the last (or the only one, for an input shorter than a window).
 */
function streamWindowCount(totalSamples: number, sampleRateHz: number, windowSeconds: number, hopSeconds = 0.5): number {
  const window = Math.max(1, Math.round(windowSeconds * sampleRateHz));
  const hop = Math.max(1, Math.round(hopSeconds * sampleRateHz));
  const first = Math.ceil(window / hop) * hop;
  const atHops = totalSamples >= first ? Math.floor((totalSamples - first) / hop) + 1 : 0;
  const lastEnd = atHops === 0 ? 0 : first + (atHops - 1) * hop;
  return atHops + (totalSamples > lastEnd ? 1 : 0);
}

describe('demo page, webgpu llvmpipe (fake microphone plays 03a01Wa.wav)', () => {
  let chromium: ChromiumSession;
  let nodeResults: Map<string, Classification>;
  beforeAll(async () => {
    nodeResults = classifyInNode(UTTERANCES, 'webgpu');
    chromium = await launchChromium({ webgpu: 'llvmpipe', fakeAudioWav: UTTERANCES[0]! });
    await chromium.page.setViewportSize(SCREENSHOT_VIEWPORT);
  });
  afterAll(() => chromium?.close());

  test('auto takes the WebAssembly backend on this adapter (software, it says nothing of itself) and says why', async () => {
    const { page } = chromium;
    await page.goto(server.url);
    await waitForReady(page);
    await expect(page.locator('[data-msse="backend"]').textContent()).resolves.toBe(
      `Backend: wasm (WebAssembly SIMD128 on the CPU, ${await pageThreads(page)}); the WebGPU adapter is software: an unnamed adapter (browser, compatibility)`,
    );
    expect(chromium.consoleErrors).toEqual([]);
  });

  test('WAV files through the file input give msse classify’s label and probabilities (?backend=webgpu)', async ({ annotate }) => {
    const { page } = chromium;
    const started = performance.now();
    await page.goto(`${server.url}?backend=webgpu`);
    await waitForReady(page);
    const readyMs = performance.now() - started;
    await annotate((await page.locator('[data-msse="backend"]').textContent())!);
    let worst = 0;
    for (const [i, file] of UTTERANCES.entries()) {
      const result = await upload(page, file);
      if (i === 0) await annotate(`navigation to model ready ${readyMs.toFixed(0)} ms, to first result ${(performance.now() - started).toFixed(0)} ms`);
      await annotate(`${file.split('/').at(-1)}: classify in the page ${await page.locator('[data-msse="result"]').getAttribute('data-ms')} ms`);
      expectClose(result, nodeResults.get(file)!, file);
      worst = Math.max(worst, maxDifference(result.probs, nodeResults.get(file)!.probs));
      expect(await timelinePoints(page)).toBe(1);
    }
    await annotate(`largest |page − Node| probability difference: ${worst.toExponential(2)}`);
    await expect(page.locator('[data-msse="backend"]').textContent()).resolves.toContain('webgpu');
    await expect(page.locator('[data-msse="error"]').isHidden()).resolves.toBe(true);
    await chromium.screenshot('page-llvmpipe-files');
    expect(chromium.consoleErrors).toEqual([]);
  });

  test('a file longer than the window fills the timeline with the stream’s windows, as in Node', async ({ annotate }) => {
    const { page } = chromium;
    const parts = UTTERANCES.map((file) => decodeWav(readFileSync(file), file));
    const sampleRateHz = parts[0]!.sampleRateHz;
    expect(parts.map((p) => p.sampleRateHz)).toEqual([sampleRateHz, sampleRateHz, sampleRateHz]);
    const joined = new Float32Array(parts.reduce((n, p) => n + p.samples.length, 0));
    parts.reduce((offset, p) => (joined.set(p.samples, offset), offset + p.samples.length), 0);
    const file = join(mkdtempSync(join(tmpdir(), 'msse-page-')), 'three-utterances.wav');
    writeFileSync(file, pcm16Wav(joined, sampleRateHz));
    const samples = decodeWav(readFileSync(file), file).samples; // what both sides read

    const model = await loadModel(MODEL, { backend: 'webgpu' });
    const nodeWindows: WindowResult[] = [];
    try {
      const stream = model.stream({ sampleRateHz, onResult: (r) => nodeWindows.push(r) });
      await stream.push(samples);
      await stream.end();
    } finally {
      model.dispose();
    }
    const windowSeconds = model.frontEnd.lengthSamples / model.frontEnd.sampleRateHz;
    const expected = streamWindowCount(samples.length, sampleRateHz, windowSeconds);
    expect(nodeWindows).toHaveLength(expected);

    const seen = await recordResults(page);
    const started = performance.now();
    const last = await upload(page, file);
    await annotate(`${(samples.length / sampleRateHz).toFixed(2)} s file, ${expected} windows in ${(performance.now() - started).toFixed(0)} ms`);
    expect(await timelinePoints(page)).toBe(expected);
    expectClose(last, nodeWindows.at(-1)!, 'last window');
    const pageWindows = await seen();
    expect(pageWindows).toHaveLength(expected);
    pageWindows.forEach((probs, i) => expectProbsClose(probs, nodeWindows[i]!.probs, `window ${i}`));
    await chromium.screenshot('page-llvmpipe-long-file');
    expect(chromium.consoleErrors).toEqual([]);
  });

  test('files that cannot be decoded show one line naming them, and a dropped file then works', async () => {
    const { page } = chromium;
    const dir = mkdtempSync(join(tmpdir(), 'msse-page-'));
    const notWav = join(dir, 'notes.wav');
    writeFileSync(notWav, 'not a RIFF file at all\n');
    const notAudio = join(dir, 'notes.ogg');
    writeFileSync(notAudio, 'OggS but nothing after it\n');
    for (const file of [notWav, notAudio]) {
      const name = file.split('/').at(-1)!;
      await page.setInputFiles('[data-msse="file"]', file);
      await page.waitForSelector(`[data-msse="source"][data-name="${name}"][data-state="failed"]`, { timeout: RESULT_WAIT_MS });
      const error = (await page.locator('[data-msse="error"]').textContent())!;
      expect(error).toMatch(new RegExp(`^${name}: `));
      expect(error).not.toContain('\n');
    }
    // The next file, dropped on the drop zone this time.
    const file = UTTERANCES[1]!;
    const name = file.split('/').at(-1)!;
    const dataTransfer = await page.evaluateHandle(({ base64, name }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type: 'audio/wav' }));
      return transfer;
    }, { base64: readFileSync(file).toString('base64'), name });
    await page.dispatchEvent('[data-msse="drop"]', 'drop', { dataTransfer });
    await page.waitForSelector(`[data-msse="source"][data-name="${name}"][data-state="done"]`, { timeout: RESULT_WAIT_MS });
    expectClose(await pageResult(page), nodeResults.get(file)!, 'dropped after the errors');
    await expect(page.locator('[data-msse="error"]').isHidden()).resolves.toBe(true);
    expect(chromium.consoleErrors).toEqual([]);
  });

  test('the profile button lists every dispatch of one forward', async ({ annotate }) => {
    const { page } = chromium;
    const started = performance.now();
    await page.click('[data-msse="profile"]');
    const table = page.locator('[data-msse="profile-table"]');
    await page.waitForSelector('[data-msse="profile-table"]:not([hidden])', { timeout: RESULT_WAIT_MS });
    await annotate(`profile: ${(performance.now() - started).toFixed(0)} ms, ${await table.locator('tbody tr').count()} dispatches`);
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!)));
    expect(rows.length).toBeGreaterThan(10);
    for (const [index, label, ms, mflop] of rows) {
      expect(label).toMatch(/^[a-z0-9-]+\.[A-Za-z0-9]+$/); // family.entry, the pipeline label
      expect(Number(index)).toBeGreaterThanOrEqual(0);
      expect(Number(ms)).toBeGreaterThanOrEqual(0);
      expect(Number(mflop)).toBeGreaterThanOrEqual(0);
    }
    expect(rows.map((r) => r[1])).toContain('dense.forward');
    await chromium.screenshot('page-llvmpipe-profile');
    expect(chromium.consoleErrors).toEqual([]);
  });

  test("the microphone streams results (fake device), the same as Node's stream over what it heard", async ({ annotate }) => {
    // Chromium resamples the fake capture to its own rate (44.1 kHz here) and starts it at an unknown offset into
    // the looping file, so the reference is the page's own recording of what it fed the model (the download link):
    // Node's library stream over those samples must give the same windows and, within TOLERANCE, the same
    // probabilities (both run the same WASM front end; the network is f32 WGSL on two drivers: 3e-8 measured).
    const { page } = chromium;
    const labels = Object.keys(nodeResults.get(UTTERANCES[0]!)!.probs);
    const seen = await recordResults(page);
    const started = performance.now();
    await page.click('[data-msse="mic"]');
    await page.waitForSelector('[data-msse="source"][data-name="microphone"][data-state="listening"]', { timeout: READY_WAIT_MS });
    await page.waitForFunction(() => Number(document.querySelector('[data-msse="timeline"]')!.getAttribute('data-points')) >= 2, undefined, {
      timeout: RESULT_WAIT_MS,
    });
    await annotate(`two microphone results after ${(performance.now() - started).toFixed(0)} ms`);
    await page.click('[data-msse="mic"]');
    await page.waitForSelector('[data-msse="source"][data-name="microphone"][data-state="done"]', { timeout: RESULT_WAIT_MS });
    await annotate((await page.locator('[data-msse="source"]').textContent())!);
    expect(await page.locator('[data-msse="mic"]').getAttribute('aria-pressed')).toBe('false');

    const results = await seen();
    expect(results.length).toBe(await timelinePoints(page));
    expect(results.length).toBeGreaterThanOrEqual(2);
    for (const probs of results) {
      const label = Object.entries(probs).reduce((a, b) => (b[1] > a[1] ? b : a))[0];
      expectValidResult({ label, probs }, labels);
    }
    const latest = await pageResult(page);
    expectValidResult(latest, labels);
    expect(latest.probs).toEqual(results.at(-1));
    await expect(page.locator('[data-msse="backend"]').textContent()).resolves.toContain('webgpu');

    const heard = decodeWav(await downloadRecording(page), 'recording.wav');
    await annotate(`the page heard ${(heard.samples.length / heard.sampleRateHz).toFixed(2)} s at ${heard.sampleRateHz} Hz`);
    const model = await loadModel(MODEL, { backend: 'webgpu' });
    const inNode: WindowResult[] = [];
    try {
      const stream = model.stream({ sampleRateHz: heard.sampleRateHz, onResult: (r) => inNode.push(r) });
      await stream.push(heard.samples);
      await stream.end();
    } finally {
      model.dispose();
    }
    expect(inNode.length).toBe(results.length);
    inNode.forEach((r, i) => expectProbsClose(results[i]!, r.probs, `microphone window ${i}`));
    await chromium.screenshot('page-llvmpipe-microphone');
    expect(chromium.consoleErrors).toEqual([]);
  });
});

/**
 * The wasm backend's threads in the page: msse serve's COOP/COEP headers make it cross-origin isolated, so it takes
 * its cores up to 4 (src/platform/browser/wasm.ts).
 */
async function pageThreads(page: Page): Promise<string> {
  const { isolated, cores } = await page.evaluate(() => ({ isolated: globalThis.crossOriginIsolated, cores: navigator.hardwareConcurrency }));
  expect(isolated).toBe(true);
  return threadWords(Math.min(4, cores));
}

describe('demo page, no WebGPU', () => {
  let chromium: ChromiumSession;
  beforeAll(async () => {
    chromium = await launchChromium({ webgpu: 'none' });
    await chromium.page.setViewportSize(SCREENSHOT_VIEWPORT);
  });
  afterAll(() => chromium?.close());

  test("the default backend runs the WebAssembly backend, says why, and classifies as Node's wasm backend does", async ({ annotate }) => {
    const { page } = chromium;
    const file = UTTERANCES[0]!;
    await page.goto(server.url);
    await waitForReady(page);
    const backend = (await page.locator('[data-msse="backend"]').textContent())!;
    expect(backend).toBe(`Backend: wasm (WebAssembly SIMD128 on the CPU, ${await pageThreads(page)}); no WebGPU adapter`);
    const got = await upload(page, file);
    await annotate(`wasm backend in the page: ${await page.locator('[data-msse="result"]').getAttribute('data-ms')} ms per utterance`);
    const model = await loadModel(MODEL, { backend: 'wasm' });
    try {
      const wav = decodeWav(readFileSync(file), file);
      expectClose(got, await model.classify(wav.samples, wav.sampleRateHz), file);
    } finally {
      model.dispose();
    }
    await expect(page.locator('[data-msse="error"]').isHidden()).resolves.toBe(true);
    await chromium.screenshot('page-none-wasm');
    expect(chromium.consoleErrors).toEqual([]);
  });

  test('a page that is not cross-origin isolated runs network.wasm on one thread, says why, and gives the same result', async () => {
    const { page } = chromium;
    const file = UTTERANCES[0]!;
    await page.goto(server.url);
    await waitForReady(page);
    const threaded = await upload(page, file);
    // The same server, its COOP/COEP headers taken off on the way: no SharedArrayBuffer, so no worker threads.
    const fetched: string[] = [];
    await page.route('**/*', async (route) => {
      fetched.push(new URL(route.request().url()).pathname);
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
    try {
      await page.goto(server.url);
      await waitForReady(page);
      expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(false);
      await expect(page.locator('[data-msse="backend"]').textContent()).resolves.toBe(
        'Backend: wasm (WebAssembly SIMD128 on the CPU, one thread: the page is not cross-origin isolated); no WebGPU adapter',
      );
      expect(fetched).toContain('/network.wasm');
      expect(fetched).not.toContain('/network-mt.wasm');
      // Threads change no bit: the result equals the isolated page's.
      expect(await upload(page, file)).toEqual(threaded);
    } finally {
      await page.unroute('**/*');
    }
    expect(chromium.consoleErrors).toEqual([]);
  });

  test('?backend=webgpu says WebGPU is missing, in one line, and the page does not become ready', async () => {
    const { page } = chromium;
    await page.goto(`${server.url}?backend=webgpu`);
    const error = page.locator('[data-msse="error"]');
    await page.waitForSelector('[data-msse="error"]:not([hidden])', { timeout: 10_000 });
    const text = (await error.textContent())!;
    expect(text).toContain('WebGPU');
    expect(text).not.toContain('\n');
    expect(await page.locator('[data-msse="ready"]').getAttribute('data-ready')).not.toBe('true');
    await chromium.screenshot('page-none-error');
    expect(chromium.consoleErrors).toEqual([]);
  });

  test('?backend=reference classifies a file as msse classify --backend reference does', async ({ annotate }) => {
    const { page } = chromium;
    const file = UTTERANCES[1]!;
    const want = classifyInNode([file], 'reference').get(file)!;
    await page.goto(`${server.url}?backend=reference`);
    await waitForReady(page);
    await expect(page.locator('[data-msse="backend"]').textContent()).resolves.toContain('reference');
    const got = await upload(page, file);
    await annotate(`reference backend in the page: ${await page.locator('[data-msse="result"]').getAttribute('data-ms')} ms per utterance`);
    expectClose(got, want, file);
    await expect(page.locator('[data-msse="error"]').isHidden()).resolves.toBe(true);
    await chromium.screenshot('page-none-reference');
    expect(chromium.consoleErrors).toEqual([]);
  });
});
