import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { referenceBackend } from '../../src/backends/reference/index.ts';
import { FormatError } from '../../src/errors.ts';
import { encodeModel } from '../../src/io/model-file.ts';
import { parseMsseConfig } from '../../src/model/config.ts';
import { paramSpecs } from '../../src/model/params.ts';
import type { Backend } from '../../src/runtime/backend.ts';
import type { Tensor } from '../../src/runtime/tensor.ts';
import { chunk, gatherBatch } from '../../src/train/batches.ts';
import { encodeCheckpoint, expectSameRun, loadCheckpoint, saveCheckpoint } from '../../src/train/checkpoint.ts';
import { uploadStore, type HostStore } from '../../src/infer/model-state.ts';
import { softmax } from '../../src/infer/predict.ts';
import { Trainer, type TrainSettings } from '../../src/train/trainer.ts';
import { config, FRAMES, flatten, syntheticSet } from '../support/training-set.ts';

const set = syntheticSet(10);
const all = Array.from({ length: 10 }, (_, i) => i);
const settings: TrainSettings = { config, batchSize: 4, seed: 46, fold: 0 };

/**
 * The reference backend, keeping the set of live persistent uploads (transient ones end with their step, as
 * WebGPU frees them at releaseTransients), so a per-step upload that would pile up on the GPU shows.
 */
function countingBackend(): Backend & { live: Set<Tensor> } {
  const live = new Set<Tensor>();
  return {
    ...referenceBackend,
    live,
    upload(values, shape, name, options) {
      const t = referenceBackend.upload(values, shape, name, options);
      if (options?.transient !== true) live.add(t);
      return t;
    },
    dispose(tensor) {
      expect(live.delete(tensor), `dispose of ${tensor.name}, which is not a live persistent upload`).toBe(true);
    },
  };
}

const device = (): Backend => referenceBackend;

/** The state after two epochs with the default settings, computed once (several tests compare with it). */
let twoEpochs: Promise<Record<string, number[]>> | undefined;
const twoEpochState = () => (twoEpochs ??= trained(2).then(async (t) => flatten(await t.state())));

async function trained(epochs: number, s: TrainSettings = settings): Promise<Trainer> {
  const trainer = Trainer.create(device(), s);
  for (let e = 0; e < epochs; e++) await trainer.trainEpoch(set, all);
  return trainer;
}

describe('Trainer', () => {
  test('the same seed gives the same state bit for bit; another seed does not', async () => {
    const a = await twoEpochState();
    const b = flatten(await (await trained(2)).state());
    expect(b).toEqual(a);
    const c = flatten(await (await trained(2, { ...settings, seed: 47 })).state());
    expect(c['param.head.dense.weight']).not.toEqual(a['param.head.dense.weight']);
  });

  test('an epoch takes one Adam step per batch and moves every parameter, BatchNorm statistic and moment', async () => {
    const fresh = await Trainer.create(device(), settings).state();
    const trainer = await trained(1);
    const after = await trainer.state();
    expect([trainer.epoch, trainer.step]).toEqual([1, 3]); // 10 examples in batches of 4: 4 + 4 + 2
    for (const [name, t] of after.store.parameters) {
      expect([...t.data], name).not.toEqual([...fresh.store.parameters.get(name)!.data]);
      expect(after.moments.get(name)!.v.data.some((x) => x > 0), name).toBe(true);
    }
    for (const [name, t] of after.store.buffers) expect([...t.data], name).not.toEqual([...fresh.store.buffers.get(name)!.data]);
  });

  test('epoch figures: loss of a 7-class model near ln 7 at first, accuracy a fraction of the 10 examples; loss falls', async () => {
    const trainer = Trainer.create(device(), { ...settings, config: { ...config, adam: { ...config.adam, lr: 1e-2 } } });
    const first = await trainer.trainEpoch(set, all);
    expect(first.epoch).toBe(1);
    expect(first.loss).toBeGreaterThan(1.5);
    expect(first.loss).toBeLessThan(2.5);
    expect(Number.isInteger(first.accuracy * 10)).toBe(true);
    let last = first;
    for (let e = 0; e < 3; e++) last = await trainer.trainEpoch(set, all);
    expect(last.loss).toBeLessThan(first.loss);
  });

  test('batch callbacks report every batch with running figures', async () => {
    const seen: number[][] = [];
    await Trainer.create(device(), settings).trainEpoch(set, all, (done, total, running) => {
      expect(running.accuracy).toBeGreaterThanOrEqual(0);
      expect(running.accuracy).toBeLessThanOrEqual(1);
      seen.push([done, total]);
    });
    expect(seen).toEqual([[1, 3], [2, 3], [3, 3]]);
  });

  test('per-step uploads (batch, targets, loss seed) are transient; dispose frees the persistent ones', async () => {
    const backend = countingBackend();
    const trainer = Trainer.create(backend, settings);
    const persistent = backend.live.size;
    expect(persistent).toBe(3 * paramSpecs(config).length + trainer.params.buffers.size); // params, m, v, BN buffers
    await trainer.trainEpoch(set, all);
    await trainer.predict(set, all);
    expect(backend.live.size).toBe(persistent);
    trainer.dispose();
    expect(backend.live.size).toBe(0);
  });

  test('predict: probability rows sum to 1 and do not depend on the batch (BatchNorm running statistics, no dropout)', async () => {
    const trainer = await trained(1);
    const together = await trainer.predict(set, [0, 1, 2, 3, 4]);
    expect(together).toHaveLength(5 * 7);
    for (let r = 0; r < 5; r++) expect(together.subarray(r * 7, r * 7 + 7).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const alone = new Float64Array(5 * 7);
    for (let r = 0; r < 5; r++) alone.set(await trainer.predict(set, [r]), r * 7);
    for (let i = 0; i < alone.length; i++) expect(alone[i]).toBeCloseTo(together[i]!, 12);
  });
});

describe('checkpoints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'msse-trainer-'));
  const run = { seed: 46, batch_size: 4 };

  test('resuming from a checkpoint file after epoch 1 ends equal to two uninterrupted epochs, bit for bit', async () => {
    const path = join(dir, 'resume.ckpt');
    saveCheckpoint(path, { run, state: await (await trained(1)).state() });
    const checkpoint = loadCheckpoint(path);
    expect(checkpoint.run).toEqual(run);
    const resumed = Trainer.restore(device(), settings, checkpoint.state, path);
    expect([resumed.epoch, resumed.step]).toEqual([1, 3]);
    await resumed.trainEpoch(set, all);
    expect(flatten(await resumed.state())).toEqual(await twoEpochState());
  });

  test('the reference backend checkpoints float64 (no rounding to float32)', async () => {
    const state = await (await trained(1)).state();
    const path = join(dir, 'f64.ckpt');
    saveCheckpoint(path, { run, state });
    const weight = loadCheckpoint(path).state.store.parameters.get('head.dense.weight')!.data;
    expect(weight).toBeInstanceOf(Float64Array);
    expect([...weight].some((x) => x !== Math.fround(x))).toBe(true);
  });

  test('a model file is not a checkpoint; a checkpoint of another run is refused, naming every difference', async () => {
    const path = join(dir, 'model.safetensors');
    writeFileSync(path, encodeModel({ parameters: new Map(), buffers: new Map(), config: {}, labels: [], frontEnd: {}, provenance: {} }));
    expect(() => loadCheckpoint(path)).toThrowError(
      new FormatError('not an msse checkpoint: metadata format is "msse-model-v1"; expected "msse-checkpoint-v1"', { file: path }),
    );
    const checkpoint = { run, state: await Trainer.create(device(), settings).state() };
    expect(() => expectSameRun(checkpoint.run, { seed: 7, batch_size: 4, backend: 'webgpu' }, 'x.ckpt')).toThrowError(
      new FormatError('checkpoint is from another run: seed is 46 in the checkpoint but 7 here; backend is missing in the checkpoint but "webgpu" here', {
        file: 'x.ckpt',
      }),
    );
  });

  test('a checkpoint whose parameter lacks its Adam moments is refused', async () => {
    const state = await Trainer.create(device(), settings).state();
    state.moments.delete('head.wsum');
    const path = join(dir, 'partial.ckpt');
    writeFileSync(path, encodeCheckpoint({ run, state }));
    expect(() => loadCheckpoint(path)).toThrowError(new FormatError('parameter "head.wsum" has no Adam moments', { file: path }));
  });
});

describe('model state', () => {
  test('parseMsseConfig reads back what JSON of a config holds, and names a bad field', () => {
    const json = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
    expect(parseMsseConfig(json, 'm.safetensors')).toEqual(config);
    expect(() => parseMsseConfig({ ...json, numDilations: 1.5 }, 'm.safetensors')).toThrowError(
      new FormatError('metadata "config": numDilations is 1.5; expected an integer >= 1', { file: 'm.safetensors' }),
    );
    expect(() => parseMsseConfig({ ...json, adam: { ...config.adam, lr: -1 } }, 'm.safetensors')).toThrowError(
      new FormatError('metadata "config": adam.lr is -1; expected a positive number', { file: 'm.safetensors' }),
    );
    const { tfKernels: _, ...noKernels } = json;
    expect(() => parseMsseConfig(noKernels, 'm.safetensors')).toThrowError(
      new FormatError('metadata "config": tfKernels is missing; expected a non-empty array of [kh, kw] pairs', { file: 'm.safetensors' }),
    );
  });

  test('uploadStore names a missing tensor, a wrong shape and a foreign tensor', async () => {
    const host = await (await trained(0)).state();
    const edited = (edit: (h: HostStore) => void): HostStore => {
      const copy = { parameters: new Map(host.store.parameters), buffers: new Map(host.store.buffers) };
      edit(copy);
      return copy;
    };
    const upload = (h: HostStore) => () => uploadStore(referenceBackend, config, h, 'm.safetensors');
    expect(upload(edited((h) => h.parameters.delete('head.wsum')))).toThrowError(
      new FormatError('tensor "head.wsum" is missing; expected (2) for this config', { file: 'm.safetensors' }),
    );
    expect(upload(edited((h) => h.parameters.set('head.wsum', { shape: [8], data: new Float32Array(8) })))).toThrowError(
      new FormatError('tensor "head.wsum" has shape (8); expected (2) for this config', { file: 'm.safetensors' }),
    );
    expect(upload(edited((h) => h.buffers.set('fwd.tab5.bn1.running_mean', { shape: [39], data: new Float32Array(39) })))).toThrowError(
      new FormatError('tensor "fwd.tab5.bn1.running_mean" is not part of an MS-SENet with this config', { file: 'm.safetensors' }),
    );
    expect(upload(host.store)().params.size).toBe(paramSpecs(config).length);
  });
});

describe('batches', () => {
  test('gatherBatch copies whole examples in the order asked, with their labels', () => {
    const b = gatherBatch(set, [3, 0]);
    const size = FRAMES * config.feat;
    expect(b.shape).toEqual([2, FRAMES, config.feat]);
    expect([...b.labels]).toEqual([3, 0]);
    expect(b.x.subarray(0, size)).toEqual(set.features.subarray(3 * size, 4 * size));
    expect(b.x.subarray(size)).toEqual(set.features.subarray(0, size));
  });

  test('chunk keeps a shorter last batch', () => {
    expect(chunk([5, 6, 7, 8, 9], 2)).toEqual([[5, 6], [7, 8], [9]]);
  });

  test('softmax of large logits does not overflow', () => {
    expect([...softmax([1000, 1000])]).toEqual([0.5, 0.5]);
  });
});
