import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startStaticServer, type StaticServer } from '../../src/cli/static-server.ts';
import { launchChromium, type ChromiumSession } from '../support/chromium.ts';
import { sharedPath } from '../support/paths.ts';

/**
 * The browser-test harness itself: Debian Chromium under playwright-core, a page served by `msse serve`'s static
 * server, and the three things browser tests will need: a WebGPU adapter on llvmpipe, none when WebGPU is off
 * (without hanging), and a fake microphone feeding an AudioWorklet. Two launches: llvmpipe, and `none` with the
 * fake microphone.
 */
const site = mkdtempSync(join(tmpdir(), 'msse-chromium-'));
// The empty icon stops Chromium's /favicon.ico request, whose 404 is a console error.
writeFileSync(
  join(site, 'index.html'),
  '<!doctype html><meta charset="utf-8"><title>msse harness</title><link rel="icon" href="data:,"><body><p id="status">loaded</p>\n',
);
// Sums the squares of channel 0 of its input; answers any message with { frames, rms } so far.
writeFileSync(
  join(site, 'tap-worklet.js'),
  `registerProcessor('tap', class extends AudioWorkletProcessor {
  constructor() {
    super();
    this.frames = 0;
    this.sumSquares = 0;
    this.port.onmessage = () => this.port.postMessage({ frames: this.frames, rms: Math.sqrt(this.sumSquares / Math.max(this.frames, 1)) });
  }
  process(inputs) {
    const channel = inputs[0][0];
    if (channel !== undefined) {
      for (const v of channel) this.sumSquares += v * v;
      this.frames += channel.length;
    }
    return true;
  }
});
`,
);

const fakeMicWav = sharedPath('data', 'emodb', 'wav', '03a01Wa.wav');
/** Bound on any wait for the page: a hung requestAdapter() fails the test instead of the timeout. */
const PAGE_WAIT_MS = 10_000;

let server: StaticServer;
beforeAll(async () => {
  server = await startStaticServer({ root: site, port: 0, host: '127.0.0.1' });
});
afterAll(() => server?.close());

describe('Chromium, webgpu llvmpipe', () => {
  let chromium: ChromiumSession;
  beforeAll(async () => {
    chromium = await launchChromium({ webgpu: 'llvmpipe' });
    await chromium.page.goto(server.url);
  });
  afterAll(() => chromium?.close());

  test('the served page is cross-origin isolated', async () => {
    expect(await chromium.page.evaluate(() => crossOriginIsolated)).toBe(true);
  });

  test('requestAdapter({ featureLevel: "compatibility" }) gives a non-fallback adapter', async () => {
    const adapter = await chromium.page.evaluate(async (waitMs) => {
      const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), waitMs));
      const found = await Promise.race([navigator.gpu.requestAdapter({ featureLevel: 'compatibility' }), timeout]);
      if (found === null || found === 'timeout') return found;
      return { isFallbackAdapter: found.info.isFallbackAdapter };
    }, PAGE_WAIT_MS);
    // SwiftShader would be a fallback adapter; ANGLE's llvmpipe is not (its other info fields are masked).
    expect(adapter).toEqual({ isFallbackAdapter: false });
  });

  test('a compute shader doubles 64 floats', async () => {
    const input = Array.from({ length: 64 }, (_, i) => (i - 20) * 0.375);
    const output = await chromium.page.evaluate(async (values) => {
      const adapter = await navigator.gpu.requestAdapter({ featureLevel: 'compatibility' });
      if (adapter === null) throw new Error('no WebGPU adapter');
      const device = await adapter.requestDevice();
      const module = device.createShaderModule({
        label: 'harness.double',
        code: `@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (gid.x >= arrayLength(&x)) { return; }
  x[gid.x] = 2.0 * x[gid.x];
}`,
      });
      const pipeline = device.createComputePipeline({ label: 'harness.double', layout: 'auto', compute: { module, entryPoint: 'main' } });
      const sizeBytes = values.length * 4;
      const data = device.createBuffer({ label: 'x', size: sizeBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
      const readback = device.createBuffer({ label: 'readback', size: sizeBytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(data, 0, new Float32Array(values));
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: data } }] }));
      pass.dispatchWorkgroups(Math.ceil(values.length / 64));
      pass.end();
      encoder.copyBufferToBuffer(data, 0, readback, 0, sizeBytes);
      device.queue.submit([encoder.finish()]);
      await readback.mapAsync(GPUMapMode.READ);
      const result = Array.from(new Float32Array(readback.getMappedRange()));
      device.destroy();
      return result;
    }, input);
    expect(output).toEqual(input.map((v) => 2 * v)); // exact: the inputs and their doubles are exact in f32
  });

  test('a screenshot is written as PNG, and the page logged no errors', async () => {
    await chromium.page.evaluate(() => (document.getElementById('status')!.textContent = 'webgpu llvmpipe: ok'));
    const path = await chromium.screenshot('chromium-harness-llvmpipe');
    expect(readFileSync(path).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(chromium.consoleErrors).toEqual([]);
  });
});

describe('Chromium, webgpu none, fake microphone', () => {
  let chromium: ChromiumSession;
  beforeAll(async () => {
    chromium = await launchChromium({ webgpu: 'none', fakeAudioWav: fakeMicWav });
    await chromium.page.goto(server.url);
  });
  afterAll(() => chromium?.close());

  test('requestAdapter() resolves to null, promptly', async () => {
    const adapters = await chromium.page.evaluate(async (waitMs) => {
      const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), waitMs));
      const ask = (options?: GPURequestAdapterOptions) => Promise.race([navigator.gpu.requestAdapter(options).then((a) => a === null ? null : 'adapter'), timeout]);
      return [await ask(), await ask({ featureLevel: 'compatibility' })];
    }, PAGE_WAIT_MS);
    expect(adapters).toEqual([null, null]);
  });

  test('an AudioWorklet on the fake microphone receives the WAV’s samples', async ({ annotate }) => {
    const heard = await chromium.page.evaluate(async (waitMs) => {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
      const track = stream.getAudioTracks()[0]!;
      const context = new AudioContext();
      await context.audioWorklet.addModule('tap-worklet.js');
      const tap = new AudioWorkletNode(context, 'tap');
      context.createMediaStreamSource(stream).connect(tap);
      await context.resume();
      const stats = () => new Promise<{ frames: number; rms: number }>((done) => {
        tap.port.onmessage = (e) => done(e.data);
        tap.port.postMessage('stats');
      });
      // Half a second of audio, or give up after waitMs.
      const start = performance.now();
      let heard = await stats();
      while (heard.frames < context.sampleRate / 2 && performance.now() - start < waitMs) {
        await new Promise((done) => setTimeout(done, 50));
        heard = await stats();
      }
      track.stop();
      await context.close();
      return { ...heard, contextRateHz: context.sampleRate, trackRateHz: track.getSettings().sampleRate, label: track.label };
    }, PAGE_WAIT_MS);
    await annotate(`fake microphone: track ${heard.trackRateHz} Hz, AudioContext ${heard.contextRateHz} Hz, ${heard.frames} frames, RMS ${heard.rms.toFixed(3)}`);
    expect(heard.label).toBe('Fake Default Audio Input');
    expect(heard.frames).toBeGreaterThanOrEqual(heard.contextRateHz / 2);
    // Silence would be 0; the whole file's RMS is 0.123 (16-bit mono, 22050 Hz, 2 s).
    expect(heard.rms).toBeGreaterThan(0.02);
    expect(heard.trackRateHz).toBeGreaterThan(0);
    expect(heard.contextRateHz).toBeGreaterThan(0);
  });

  test('a screenshot is written as PNG, and the page logged no errors', async () => {
    const path = await chromium.screenshot('chromium-harness-none');
    expect(readFileSync(path).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(chromium.consoleErrors).toEqual([]);
  });
});
