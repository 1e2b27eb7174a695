import { join } from 'node:path';
import { expect, test } from 'vitest';
import { FormatError } from '../../src/errors.ts';
import { checkModel } from '../../src/infer/checked-model.ts';
import { decodeModel, encodeModel, type LoadedModel } from '../../src/io/model-file.ts';
import { loadModel } from '../../src/platform/node/model-file.ts';
import { mulberry32 } from '../support/prng.ts';
import { repoRoot } from '../support/paths.ts';

/**
 * Seeded fuzz of the model loader (decodeModel, then checkModel as loadModel and classify run them): the shipped
 * model with its metadata and tensors mutated, or its bytes damaged, either loads as a model that classifies sensibly
 * (distinct non-empty labels, finite values) or gives one FormatError line naming the file. Bounds: no round may take a second (a hang, or an allocation from a declared size, would), and
 * the whole run stays within the test timeout.
 */
const shipped = loadModel(join(repoRoot, 'models', 'emodb.safetensors'));
const FILE = 'fuzz.safetensors';
const ROUND_MS = 1000;

test('mutated models load or give one FormatError line naming the file', () => {
  const random = mulberry32(17);
  const below = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[below(items.length)]!;
  const odd = [NaN, Infinity, -Infinity, -1, 0, 0.5, 1e300, 2 ** 31, 2 ** 53, -0, 7, '', ' ', 'x', null, [], {}, true, [1, 2], { a: 1 }];
  const structural: ((m: LoadedModel) => LoadedModel)[] = [
    (m) => ({ ...m, labels: m.labels.map((l) => (random() < 0.3 ? pick(['', ' ', m.labels[0]!, `${l}\n`, 'é']) : l)) }),
    (m) => ({ ...m, labels: m.labels.slice(0, below(m.labels.length + 1)) }),
    (m) => ({ ...m, config: { ...m.config, [pick(Object.keys(m.config))]: pick(odd) } }),
    (m) => ({ ...m, frontEnd: { ...m.frontEnd, [pick(Object.keys(m.frontEnd))]: pick(odd) } }),
    (m) => {
      const parameters = new Map(m.parameters);
      const name = pick([...parameters.keys()]);
      const { shape, data } = parameters.get(name)!;
      const copy = Float32Array.from(data);
      copy[below(copy.length)] = pick([NaN, Infinity, -Infinity, 3.4e38, -0]);
      parameters.set(name, { shape, data: copy });
      return { ...m, parameters };
    },
    (m) => {
      const buffers = new Map(m.buffers);
      buffers.delete(pick([...buffers.keys()]));
      return { ...m, buffers };
    },
  ];
  const damage: ((bytes: Uint8Array) => Uint8Array)[] = [
    (bytes) => bytes.subarray(0, below(bytes.length)),
    (bytes) => bytes.subarray(0, 8 + below(2000)),
    (bytes) => {
      const copy = bytes.slice();
      copy[below(Math.min(copy.length, 4000))] = below(256); // the header JSON: names, offsets, metadata
      return copy;
    },
    (bytes) => {
      const copy = bytes.slice();
      new DataView(copy.buffer).setBigUint64(0, BigInt(pick([0, 1, 7, 2 ** 31, 2 ** 53])), true);
      return copy;
    },
  ];
  const outcomes = { loaded: 0, refused: 0 };
  for (let round = 0; round < 400; round++) {
    let model = shipped;
    for (let steps = below(3); steps > 0; steps--) model = pick(structural)(model);
    let bytes: Uint8Array;
    try {
      bytes = encodeModel(model);
    } catch {
      continue; // encodeModel's own invariants (a tensor both parameter and buffer) are not the loader's concern
    }
    if (random() < 0.5) bytes = pick(damage)(bytes);
    const started = performance.now();
    try {
      const { model: loaded } = checkModel(decodeModel(bytes, FILE));
      // What loads must classify sensibly: one distinct, non-empty name per class, every value finite.
      expect(new Set(loaded.labels).size, `round ${round}`).toBe(loaded.labels.length);
      expect(loaded.labels.every((l) => l.trim() !== ''), `round ${round}`).toBe(true);
      for (const { data } of [...loaded.parameters.values(), ...loaded.buffers.values()]) expect(data.every(Number.isFinite), `round ${round}`).toBe(true);
      outcomes.loaded++;
    } catch (error) {
      if (!(error instanceof FormatError)) throw new Error(`round ${round}: ${String(error)}`, { cause: error });
      expect(error.file, `round ${round}`).toBe(FILE);
      expect(error.message, `round ${round}`).not.toContain('\n');
      outcomes.refused++;
    }
    expect(performance.now() - started, `round ${round}`).toBeLessThan(ROUND_MS);
  }
  expect(outcomes.loaded).toBeGreaterThan(10);
  expect(outcomes.refused).toBeGreaterThan(100);
});
