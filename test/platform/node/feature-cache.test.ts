import { copyFileSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FRONT_END_SETTINGS } from '../../../src/audio/mfcc-settings.ts';
import { createMfccExtractor } from '../../../src/platform/node/mfcc.ts';
import type { MfccExtractor } from '../../../src/audio/mfcc-wasm.ts';
import { MsseError } from '../../../src/errors.ts';
import { loadDatasetIndex, loadFeatures, type DatasetFeatures } from '../../../src/platform/node/dataset.ts';
import { FeatureCache, defaultFeatureCacheDir } from '../../../src/platform/node/feature-cache.ts';
import { sharedPath } from '../../support/paths.ts';

const WAVS = ['03a01Fa.wav', '03a01Nc.wav', '03a01Wa.wav'];
const SHORT = { ...FRONT_END_SETTINGS, lengthSamples: 22050 };

let extractor: MfccExtractor;
/** Files the front end actually computed, by path, since the last reset. */
let computed: string[] = [];
let dataDir: string;
const folders: string[] = [];

/** The real WebAssembly front end, counting its calls (each call is one cache miss). */
function countingExtractor(inner: MfccExtractor): MfccExtractor {
  return {
    ...inner,
    mfcc(samples, sampleRateHz, lengthSamples) {
      computed.push(`${samples.length}@${sampleRateHz}`);
      return inner.mfcc(samples, sampleRateHz, lengthSamples);
    },
  };
}

function tempFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'msse-cache-'));
  folders.push(dir);
  return dir;
}

/** loadFeatures on the test folder through a fresh FeatureCache object (as a new process would). */
async function load(settings = FRONT_END_SETTINGS, cacheDir = join(dataDir, '.msse-cache')): Promise<{ result: DatasetFeatures; cache: FeatureCache }> {
  computed = [];
  const cache = new FeatureCache(cacheDir, settings);
  return { result: await loadFeatures(loadDatasetIndex(dataDir), extractor, cache), cache };
}

beforeAll(async () => {
  extractor = countingExtractor(await createMfccExtractor());
  dataDir = tempFolder();
  for (const name of WAVS) copyFileSync(sharedPath('data', 'emodb', 'wav', name), join(dataDir, name));
});
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('FeatureCache through loadFeatures', () => {
  test('first run computes every file; a second run hits every entry with bit-identical features', async () => {
    const first = await load();
    expect(computed.length).toBe(3);
    expect(first.cache.stats).toEqual({ hits: 0, misses: 3, invalid: 0 });
    const second = await load();
    expect(computed).toEqual([]);
    expect(second.cache.stats).toEqual({ hits: 3, misses: 0, invalid: 0 });
    expect(second.result.features).toEqual(first.result.features);
    expect(second.result.frames).toBe(188);
    // one folder per settings key, one entry per WAV, plus the settings it holds
    const [settingsDir, ...others] = readdirSync(join(dataDir, '.msse-cache'));
    expect(others).toEqual([]);
    const entries = readdirSync(join(join(dataDir, '.msse-cache'), settingsDir!)).sort();
    expect(entries.filter((n) => n.endsWith('.mfcc')).length).toBe(3);
    expect(JSON.parse(readFileSync(join(join(dataDir, '.msse-cache'), settingsDir!, 'settings.json'), 'utf8'))).toEqual({
      frontEndVersion: 1,
      settings: { ...FRONT_END_SETTINGS },
    });
  });

  test('a modified WAV recomputes only that one', async () => {
    const before = (await load()).result;
    const path = join(dataDir, WAVS[1]!);
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0x40; // a bit of a sample in the middle of the data chunk
    writeFileSync(path, bytes);
    const after = await load();
    expect(computed.length).toBe(1);
    expect(after.cache.stats).toEqual({ hits: 2, misses: 1, invalid: 0 });
    const block = 188 * 39;
    expect(after.result.features.subarray(0, block)).toEqual(before.features.subarray(0, block));
    expect(after.result.features.subarray(block, 2 * block)).not.toEqual(before.features.subarray(block, 2 * block));
    expect(after.result.features.subarray(2 * block)).toEqual(before.features.subarray(2 * block));
  });

  test('a renamed WAV with the same bytes is still a hit (entries are keyed by content)', async () => {
    await load();
    renameSync(join(dataDir, WAVS[2]!), join(dataDir, '03a01Wz.wav'));
    try {
      expect((await load()).cache.stats).toEqual({ hits: 3, misses: 0, invalid: 0 });
    } finally {
      renameSync(join(dataDir, '03a01Wz.wav'), join(dataDir, WAVS[2]!));
    }
  });

  test('a changed length setting misses every entry and computes features of the new length', async () => {
    await load();
    const { result, cache } = await load(SHORT);
    expect(cache.stats).toEqual({ hits: 0, misses: 3, invalid: 0 });
    expect(result.frames).toBe(44); // 1 + floor(22050 / 512)
    expect(result.features.length).toBe(3 * 44 * 39);
    expect((await load()).cache.stats.hits).toBe(3); // the default settings' entries are still there
  });

  test.each([
    { name: 'a flipped payload bit', damage: (b: Buffer) => void (b[b.length - 1]! ^= 1) },
    { name: 'a truncated file', damage: (b: Buffer) => b.subarray(0, b.length - 4) },
    { name: 'a wrong magic', damage: (b: Buffer) => void b.write('XXXX', 0, 'latin1') },
    { name: 'an empty file', damage: () => Buffer.alloc(0) },
  ])('an entry with $name is recomputed, not trusted, and rewritten', async ({ damage }) => {
    const good = await load();
    const entryDir = good.cache.entryDir;
    const entry = join(entryDir, readdirSync(entryDir).find((n) => n.endsWith('.mfcc'))!);
    const bytes = readFileSync(entry);
    writeFileSync(entry, damage(bytes) ?? bytes);
    const again = await load();
    expect(again.cache.stats).toEqual({ hits: 2, misses: 1, invalid: 1 });
    expect(computed.length).toBe(1);
    expect(again.result.features).toEqual(good.result.features);
    expect((await load()).cache.stats).toEqual({ hits: 3, misses: 0, invalid: 0 });
  });

  test('an explicit cache folder; a cache folder that cannot be created is an error naming the entry', async () => {
    const elsewhere = join(tempFolder(), 'features');
    expect((await load(FRONT_END_SETTINGS, elsewhere)).cache.stats.misses).toBe(3);
    expect((await load(FRONT_END_SETTINGS, elsewhere)).cache.stats.hits).toBe(3);
    const blocker = join(tempFolder(), 'a-file');
    writeFileSync(blocker, '');
    const cache = new FeatureCache(blocker, FRONT_END_SETTINGS);
    let error: unknown;
    try {
      await loadFeatures(loadDatasetIndex(dataDir), extractor, cache);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MsseError);
    const firstEntry = cache.entryPath(createHash('sha256').update(readFileSync(join(dataDir, WAVS[0]!))).digest('hex'));
    expect((error as MsseError).line).toBe(`${firstEntry}: cannot write the feature cache (ENOTDIR); choose a writable cache folder`);
  });
});

test('the default cache folder is under XDG_CACHE_HOME, not in the data folder', () => {
  const saved = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = '/var/tmp/xdg';
  try {
    expect(defaultFeatureCacheDir()).toBe('/var/tmp/xdg/msse/features');
  } finally {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  }
});
