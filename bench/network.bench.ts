// MS-SENet on this machine's WebGPU: the golden `msse` batch (B = 4, T = 188, n = 8) forward (inference) and a
// whole training step (forward, loss, backward, Adam), each recorded and submitted as one command buffer and timed
// to the read-back of its result; then the per-family table of one training step (replayed dispatches) and the
// training step at the paper's batch of 64, which sets the EMO-DB epoch time (481 training utterances per fold).
// Usage: node bench/run.mjs network [--batch64]
import { Bench } from 'tinybench';
import { openBackend } from '../src/platform/node/backends.ts';
import { readFixture } from '../src/platform/node/fixture.ts';
import { profileNetwork } from '../src/profile/network-pass.ts';
import type { OpProfile } from '../src/profile/ops-profile.ts';
import { bufferSpecs, paramSpecs } from '../src/model/params.ts';
import { runInference } from '../src/infer/predict.ts';
import { recordTrainingStep, transientZeroMoments } from '../src/model/step.ts';
import { ParamStore } from '../src/runtime/params.ts';
import { machineLine } from './machine.ts';

const fixture = await readFixture('../shared/golden/msse');
const config = fixture.config;
const open = await openBackend('webgpu');
const { backend } = open;
const tensor = (name: string) => fixture.tensors.get(name)!;
const store = new ParamStore();
for (const s of paramSpecs(config)) store.addParam(s.name, backend.upload(tensor(s.name).data, s.shape, s.name));
for (const s of bufferSpecs(config)) store.addBuffer(s.name, backend.upload(tensor(s.name).data, s.shape, s.name));
const labels = tensor('labels').data;

let step = 1;
async function pass(train: boolean): Promise<void> {
  const x = backend.upload(tensor('x').data, tensor('x').shape, 'x', { transient: true });
  const t = step++;
  const out = train
    ? recordTrainingStep(backend, config, store, x, labels, { seed: 1, t }, transientZeroMoments(backend)).loss
    : runInference(backend, config, store, x).logits;
  await backend.read(out);
  backend.releaseTransients();
}

const bench = new Bench({ time: 5000, warmupTime: 1000 });
bench.add('forward (inference), B=4 T=188', () => pass(false)).add('training step (forward, backward, Adam), B=4 T=188', () => pass(true));
await bench.run();

console.log(`machine: ${machineLine()}; adapter: ${open.gpu!.adapter.description || open.gpu!.adapter.device} (${open.gpu!.adapter.backend})`);
console.log('| pass | mean ms | p99 ms | samples | ms per utterance |');
console.log('| --- | --- | --- | --- | --- |');
for (const task of bench.tasks) {
  const { latency } = task.result as unknown as { latency: { mean: number; p99: number; samplesCount: number } };
  console.log(`| ${task.name} | ${latency.mean.toFixed(1)} | ${latency.p99.toFixed(1)} | ${latency.samplesCount} | ${(latency.mean / 4).toFixed(1)} |`);
}

function familyTable(profile: OpProfile): void {
  console.log(`\n${profile.pass}, B=${profile.batch}, T=${profile.frames}: whole pass ${profile.stepMs.toFixed(0)} ms (median); per family, ${profile.timing}`);
  console.log('| family | calls | ms | GFLOP | MB | GFLOP/s | GB/s |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const f of profile.families) {
    const rate = (n: number) => (f.ms > 0 ? (n / f.ms / 1e6).toFixed(2) : '-');
    console.log(`| ${f.family} | ${f.calls} | ${f.ms.toFixed(1)} | ${(f.flops / 1e9).toFixed(3)} | ${(f.bytes / 1e6).toFixed(0)} | ${rate(f.flops)} | ${rate(f.bytes)} |`);
  }
}
familyTable(await profileNetwork(open, config, store, { batch: 4, frames: 188, train: true, seed: 1, repeats: 5 }));
if (process.argv.includes('--batch64')) {
  const profile = await profileNetwork(open, config, store, { batch: 64, frames: 188, train: true, seed: 1, repeats: 3 });
  familyTable(profile);
  console.log(`\nEMO-DB epoch estimate (481 training utterances = 7.52 steps of 64): ${((profile.stepMs * 481) / 64 / 1000).toFixed(1)} s`);
}
open.close();
