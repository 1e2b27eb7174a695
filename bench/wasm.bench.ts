// MS-SENet inference on the wasm backend (build/network-mt.wasm, f32x4 SIMD, on `--threads` threads, default 1)
// against WebGPU on this machine's adapter (Mesa llvmpipe here), in one process: the shipped model's forward pass
// at batch 1 and 64 on EMO-DB MFCCs, timed to the read-back of the logits. Then this CPU's single-thread f32x4 peak
// (kernels/network/peak.ts) and, per kernel, the wasm kernels' time, GFLOP/s and GB/s over the forward's own calls
// (a kernel's time is its wall time on all threads, its % of peak against one thread's).
// Usage: node bench/run.mjs wasm [--threads N] [--no-webgpu] [--emodb DIR]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { uploadStore } from '../src/infer/model-state.ts';
import { runInference } from '../src/infer/predict.ts';
import { openBackend } from '../src/platform/node/backends.ts';
import { createMfccExtractor } from '../src/platform/node/mfcc.ts';
import { loadCheckedModel } from '../src/platform/node/model-file.ts';
import { instantiateNetworkFile, openWasmInference } from '../src/platform/node/wasm-backend.ts';
import { readWavFile } from '../src/platform/node/wav-file.ts';
import type { InferenceBackend } from '../src/runtime/backend.ts';
import type { ParamStore } from '../src/runtime/params.ts';
import { timeKernelCalls } from '../src/profile/cpu-timing.ts';
import { kernelCallCost } from '../src/profile/kernel-call-cost.ts';
import { machineLine } from './machine.ts';

const arg = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const emodb = arg('--emodb') ?? '../shared/data/emodb/wav';
const withWebGpu = !process.argv.includes('--no-webgpu');
const threads = Number(arg('--threads') ?? 1);
const BATCHES = [1, 64] as const;

const checked = loadCheckedModel('models/emodb.safetensors');
const { model, config } = checked;
const extractor = await createMfccExtractor();
const files = readdirSync(emodb).filter((f) => f.endsWith('.wav')).sort().slice(0, 64);
const frames = 1 + Math.floor(checked.lengthSamples / 512);
const features = new Float32Array(files.length * frames * config.feat);
files.forEach((f, i) => {
  const wav = readWavFile(join(emodb, f));
  features.set(extractor.mfcc(wav.samples, wav.sampleRateHz, checked.lengthSamples), i * frames * config.feat);
});

/** One forward at `batch` on the first utterances, to the logits on the host. */
async function forward(backend: InferenceBackend, params: ParamStore, batch: number): Promise<void> {
  const x = backend.upload(features.subarray(0, batch * frames * config.feat), [batch, frames, config.feat], 'x', { transient: true });
  await backend.read(runInference(backend, config, params, x).logits);
  backend.releaseTransients();
}
const upload = (backend: InferenceBackend): ParamStore => uploadStore(backend, config, { parameters: model.parameters, buffers: model.buffers }, model.file);

const wasm = await openWasmInference({ threads });
const wasmParams = upload(wasm);

// ---- whole forward: every wasm row (and the tables below) first, then WebGPU opened and timed, so no llvmpipe
// worker thread is in the process while wasm is timed ----
const rows: { backend: string; batch: number; mean: number; median: number; p99: number; samples: number }[] = [];
async function timeForward(name: string, backend: InferenceBackend, params: ParamStore, batch: number): Promise<void> {
  // Batch 64 on llvmpipe takes seconds a pass: a fixed few iterations there, a time budget otherwise.
  const bench = batch === 1 ? new Bench({ time: 4000, warmupTime: 1500 }) : new Bench({ time: 0, iterations: 6, warmupTime: 0, warmupIterations: 2 });
  bench.add(name, () => forward(backend, params, batch));
  await bench.run();
  const { latency } = bench.tasks[0]!.result as unknown as { latency: { mean: number; p50: number; p99: number; samplesCount: number } };
  rows.push({ backend: name, batch, mean: latency.mean, median: latency.p50, p99: latency.p99, samples: latency.samplesCount });
}
const wasmName = `wasm ${wasm.threadCount} thread${wasm.threadCount === 1 ? '' : 's'}`;
for (const batch of BATCHES) await timeForward(wasmName, wasm, wasmParams, batch);

// ---- SIMD peak: best of 7 runs of 2·10⁷ iterations after a warm-up that lets V8 tier the loop up ----
const probe = await instantiateNetworkFile();
const flopsPerIteration = probe.PEAK_FLOPS_PER_ITERATION.value as number;
for (let i = 0; i < 5; i++) probe.simdPeak(2e6);
let peakGflops = 0;
for (let i = 0; i < 7; i++) {
  const started = performance.now();
  probe.simdPeak(2e7);
  peakGflops = Math.max(peakGflops, (2e7 * flopsPerIteration) / (performance.now() - started) / 1e6);
}

// ---- per kernel (family.entry): each wasm kernel call timed on the CPU (kernels run when called) over the forward's calls ----
interface KernelTotals {
  calls: number;
  ms: number;
  flops: number;
  bytes: number;
}
/** `backend` with every kernel call's time, FLOPs and bytes (src/profile/kernel-call-cost.ts) added to `totals`. */
function timed(backend: InferenceBackend, totals: Map<string, KernelTotals>): InferenceBackend {
  return timeKernelCalls(backend, (call) => {
    const { flops, bytes } = kernelCallCost(call);
    const f = totals.get(call.label) ?? { calls: 0, ms: 0, flops: 0, bytes: 0 };
    totals.set(call.label, { calls: f.calls + 1, ms: f.ms + call.ms, flops: f.flops + flops, bytes: f.bytes + bytes });
  });
}
/** Per kernel, the median over passes of its per-pass totals (the 2-core machine is shared: medians resist bursts). */
function medianTotals(passes: readonly Map<string, KernelTotals>[]): Map<string, KernelTotals> {
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const out = new Map<string, KernelTotals>();
  for (const key of passes[0]!.keys()) {
    const of = (f: keyof KernelTotals) => median(passes.map((p) => p.get(key)![f]));
    out.set(key, { calls: of('calls'), ms: of('ms'), flops: of('flops'), bytes: of('bytes') });
  }
  return out;
}
const kernelTables: { batch: number; passes: number; totals: Map<string, KernelTotals> }[] = [];
for (const batch of BATCHES) {
  const passes = batch === 1 ? 51 : 5;
  for (let i = 0; i < 3; i++) await forward(wasm, wasmParams, batch);
  const perPass: Map<string, KernelTotals>[] = [];
  for (let i = 0; i < passes; i++) {
    const totals = new Map<string, KernelTotals>();
    await forward(timed(wasm, totals), wasmParams, batch);
    perPass.push(totals);
  }
  kernelTables.push({ batch, passes, totals: medianTotals(perPass) });
}

const gpu = withWebGpu ? await openBackend('webgpu') : undefined;
if (gpu !== undefined) {
  const gpuParams = upload(gpu.backend);
  for (const batch of BATCHES) await timeForward('webgpu', gpu.backend, gpuParams, batch);
}

// ---- report ----
console.log(`machine: ${machineLine()}${gpu === undefined ? '' : `; webgpu adapter: ${gpu.gpu!.adapter.description || gpu.gpu!.adapter.device} (${gpu.gpu!.adapter.backend})`}`);
console.log('\n| backend | batch | median ms | mean ms | p99 ms | samples | ms per utterance (median) | utterances/s |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.backend} | ${r.batch} | ${r.median.toFixed(2)} | ${r.mean.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.samples} | ${(r.median / r.batch).toFixed(2)} | ${((1000 * r.batch) / r.median).toFixed(0)} |`,
  );
}
for (const b of BATCHES) {
  const [w, g] = [rows.find((r) => r.backend === wasmName && r.batch === b), rows.find((r) => r.backend === 'webgpu' && r.batch === b)];
  if (w !== undefined && g !== undefined) console.log(`batch ${b}: ${wasmName} ${(g.median / w.median).toFixed(1)}x faster than webgpu (medians)`);
}
console.log(`\nsingle-thread f32x4 peak (mul + add, 12 chains, registers only): ${peakGflops.toFixed(1)} GFLOP/s`);
for (const { batch, passes, totals } of kernelTables) {
  const all = [...totals.values()].reduce((s, f) => ({ ms: s.ms + f.ms, flops: s.flops + f.flops }), { ms: 0, flops: 0 });
  console.log(`\n${wasmName} kernels (family.entry), B=${batch}, T=${frames} (median of ${passes} forwards; ${(all.flops / batch / 1e9).toFixed(4)} GFLOP per utterance, kernels ${all.ms.toFixed(2)} ms of the forward)`);
  console.log('| kernel | calls | ms | GFLOP | MB | GFLOP/s | % of peak | GB/s |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [kernel, f] of [...totals].sort((a, b) => b[1].ms - a[1].ms)) {
    const [ms, flops, bytes] = [f.ms, f.flops, f.bytes];
    const rate = flops / ms / 1e6;
    console.log(
      `| ${kernel} | ${f.calls} | ${ms.toFixed(3)} | ${(flops / 1e9).toFixed(4)} | ${(bytes / 1e6).toFixed(1)} | ${rate.toFixed(1)} | ${((100 * rate) / peakGflops).toFixed(0)}% | ${(bytes / ms / 1e6).toFixed(1)} |`,
    );
  }
}
wasm.close();
gpu?.close();
