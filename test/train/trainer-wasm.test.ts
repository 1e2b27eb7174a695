import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EMODB_CONFIG, type MsseConfig } from '../../src/model/config.ts';
import { openWasmBackend } from '../../src/platform/node/wasm-backend.ts';
import { counterUniform } from '../../src/runtime/random.ts';
import type { FeatureSet } from '../../src/train/batches.ts';
import { loadCheckpoint, saveCheckpoint, type TrainingState } from '../../src/train/checkpoint.ts';
import { Trainer, type TrainSettings } from '../../src/train/trainer.ts';

// Training on the WebAssembly backend: every reduction runs in an order set by the shapes alone, so a seed gives
// the same state bit for bit on a fresh instance, and a run resumed from its checkpoint ends equal to an
// uninterrupted one. Dropout is on (the masks come from kernels/network/random.ts).

/** The small network of the CLI tests: 2 TABs per direction, 7 classes. */
const config: MsseConfig = { ...EMODB_CONFIG, numDilations: 2 };
const FRAMES = 17;

/** n examples of (17 frames × 39) features in about [−1, 1) whose class k adds 0.5·k to its first frame. */
function syntheticSet(n: number): FeatureSet {
  const size = FRAMES * config.feat;
  const features = new Float32Array(n * size);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % config.numClasses;
    for (let j = 0; j < size; j++) features[i * size + j] = 2 * counterUniform(5, 77, 0, i, j) - 1 + (j < config.feat ? 0.5 * labels[i]! : 0);
  }
  return { features, labels, frames: FRAMES, coefficients: config.feat };
}

const set = syntheticSet(10);
const all = Array.from({ length: 10 }, (_, i) => i);
const settings: TrainSettings = { config, batchSize: 4, seed: 46, fold: 0 };

function flatten(state: TrainingState): Record<string, number[]> {
  const out: Record<string, number[]> = { progress: [state.epoch, state.step] };
  for (const [group, tensors] of [['param', state.store.parameters], ['buffer', state.store.buffers]] as const) {
    for (const [name, t] of tensors) out[`${group}.${name}`] = [...t.data];
  }
  for (const [name, { m, v }] of state.moments) {
    out[`m.${name}`] = [...m.data];
    out[`v.${name}`] = [...v.data];
  }
  return out;
}

async function trained(epochs: number, s: TrainSettings = settings): Promise<Trainer> {
  const trainer = Trainer.create(await openWasmBackend({ poisonOutputs: true }), s);
  for (let e = 0; e < epochs; e++) await trainer.trainEpoch(set, all);
  return trainer;
}

describe('training on the wasm backend', () => {
  let twoEpochs: Record<string, number[]>;

  test('the same seed on a fresh instance gives the same state bit for bit; another seed does not', async () => {
    const first = await trained(2);
    twoEpochs = flatten(await first.state());
    expect(flatten(await (await trained(2)).state())).toEqual(twoEpochs);
    const other = flatten(await (await trained(2, { ...settings, seed: 47 })).state());
    expect(other['param.head.dense.weight']).not.toEqual(twoEpochs['param.head.dense.weight']);
    for (const values of Object.values(twoEpochs)) expect(values.every(Number.isFinite)).toBe(true);
  }, 60_000);

  test('resumed from a checkpoint after epoch 1, a run ends equal to two uninterrupted epochs, bit for bit', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'msse-wasm-trainer-')), 'resume.ckpt');
    saveCheckpoint(path, { run: { seed: 46, batch_size: 4 }, state: await (await trained(1)).state() });
    const resumed = Trainer.restore(await openWasmBackend({ poisonOutputs: true }), settings, loadCheckpoint(path).state, path);
    await resumed.trainEpoch(set, all);
    expect(flatten(await resumed.state())).toEqual(twoEpochs);
  }, 60_000);
});
