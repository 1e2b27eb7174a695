// One MS-SENet training step (forward with dropout, loss, backward, Adam) at the paper's batch of 64 on the EMO-DB
// network (T = 188 frames, 39 MFCCs, 8 TABs per direction), timed to the read-back of its loss, on each backend
// named (default: wasm then webgpu); one step first as warm-up (WebGPU compiles its pipelines there), then the
// median of the timed steps, and the EMO-DB epoch it implies (481 training utterances = 7.52 steps of 64).
// On wasm, where a kernel runs when it is called, also the time per kernel (family.entry) of the last step, each
// call timed on the CPU (on WebGPU a call only records a dispatch: `msse inspect --ops --train` times those).
// The wasm backend runs on `--threads` threads (default: the cores up to 4, as the CLI's).
// Usage: node bench/run.mjs wasm-train [--steps N] [--threads N] [wasm] [webgpu] [reference]
import { EMODB_CONFIG } from '../src/model/config.ts';
import { initParams } from '../src/model/params.ts';
import { recordTrainingStep, transientZeroMoments } from '../src/model/step.ts';
import { BACKEND_NAMES, openBackend, type BackendName } from '../src/platform/node/backends.ts';
import { defaultWasmThreads } from '../src/platform/node/workers.ts';
import type { Backend } from '../src/runtime/backend.ts';
import { counterUniform } from '../src/runtime/random.ts';
import { machineLine } from './machine.ts';

const BATCH = 64;
const FRAMES = 188;
const args = process.argv.slice(2);
const arg = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const steps = Number(arg('--steps') ?? 3);
const threads = Number(arg('--threads') ?? defaultWasmThreads());
const names = args.filter((a) => (BACKEND_NAMES as readonly string[]).includes(a)) as BackendName[];
const config = EMODB_CONFIG;
const features = Float32Array.from({ length: BATCH * FRAMES * config.feat }, (_, i) => 2 * counterUniform(9, 1, 0, 0, i) - 1);
const labels = Array.from({ length: BATCH }, (_, b) => b % config.numClasses);

/** `backend` with every kernel call timed into `times` (ms and calls per family.entry). */
function timed(backend: Backend, times: Map<string, { ms: number; calls: number }>): Backend {
  const out: Record<string, unknown> = { ...backend };
  for (const [family, kernels] of Object.entries(backend)) {
    if (typeof kernels !== 'object' || kernels === null) continue;
    const wrapped: Record<string, unknown> = {};
    for (const [entry, kernel] of Object.entries(kernels as Record<string, (...a: unknown[]) => unknown>)) {
      wrapped[entry] = (...a: unknown[]) => {
        const start = performance.now();
        const result = kernel(...a);
        const e = times.get(`${family}.${entry}`) ?? { ms: 0, calls: 0 };
        e.ms += performance.now() - start;
        e.calls++;
        times.set(`${family}.${entry}`, e);
        return result;
      };
    }
    out[family] = wrapped;
  }
  return out as unknown as Backend;
}

console.log(`machine: ${machineLine()}; wasm threads: ${threads}; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const name of names.length > 0 ? names : (['wasm', 'webgpu'] as const)) {
  const open = await openBackend(name, { threads });
  try {
    const kernelTimes = new Map<string, { ms: number; calls: number }>();
    const backend = name === 'wasm' ? timed(open.backend, kernelTimes) : open.backend;
    const store = initParams(backend, config, 46);
    const times: number[] = [];
    for (let t = 1; t <= steps + 1; t++) {
      kernelTimes.clear();
      const start = performance.now();
      const x = backend.upload(features, [BATCH, FRAMES, config.feat], 'x', { transient: true });
      const { loss } = recordTrainingStep(backend, config, store, x, labels, { seed: 1, t }, transientZeroMoments(backend));
      const value = (await backend.read(loss))[0]!;
      backend.releaseTransients();
      const ms = performance.now() - start;
      if (t > 1) times.push(ms);
      console.log(`${name} step ${t}${t === 1 ? ' (warm-up)' : ''}: ${ms.toFixed(0)} ms, loss ${value.toFixed(4)}`);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    if (kernelTimes.size > 0) {
      const rows = [...kernelTimes].sort((a, b) => b[1].ms - a[1].ms);
      const total = rows.reduce((sum, [, e]) => sum + e.ms, 0);
      console.log(`${name}, last step per kernel (ms, calls): ${rows.map(([k, e]) => `${k} ${e.ms.toFixed(1)} (${e.calls})`).join(', ')}; kernels ${total.toFixed(0)} ms`);
    }
    console.log(`${name}: training step B=${BATCH} T=${FRAMES} median ${median.toFixed(0)} ms (min ${times[0]!.toFixed(0)}); EMO-DB epoch ${((median * 481) / BATCH / 1000).toFixed(1)} s`);
  } finally {
    open.close();
  }
}
