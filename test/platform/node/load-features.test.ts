import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FRONT_END_SETTINGS } from '../../../src/audio/mfcc-settings.ts';
import { createMfccExtractor } from '../../../src/platform/node/mfcc.ts';
import type { MfccExtractor } from '../../../src/audio/mfcc-wasm.ts';
import { readWavFile } from '../../../src/platform/node/wav-file.ts';
import { FormatError, MsseError, WavError } from '../../../src/errors.ts';
import { loadDatasetIndex, loadFeatures } from '../../../src/platform/node/dataset.ts';
import { FeatureCache } from '../../../src/platform/node/feature-cache.ts';
import { sharedPath } from '../../support/paths.ts';

/** Two real EMO-DB files (happiness, anger) and a sadness-named file that is not a WAV. */
const GOOD = ['03a01Fa.wav', '03a01Wa.wav'];
const BROKEN = '03a02Ta.wav';
let extractor: MfccExtractor;
const folders: string[] = [];

/** A data folder with the GOOD WAVs and BROKEN holding `brokenText`, and a fresh cache beside it. */
function dataFolder(brokenText: string): { dir: string; cache: FeatureCache } {
  const root = mkdtempSync(join(tmpdir(), 'msse-features-'));
  folders.push(root);
  const dir = join(root, 'data');
  mkdirSync(dir);
  for (const name of GOOD) copyFileSync(sharedPath('data', 'emodb', 'wav', name), join(dir, name));
  writeFileSync(join(dir, BROKEN), brokenText);
  return { dir, cache: new FeatureCache(join(root, 'cache'), FRONT_END_SETTINGS) };
}

async function errorOf(run: () => Promise<unknown>): Promise<MsseError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof MsseError) return error;
    throw error;
  }
  throw new Error('expected an MsseError, but loading succeeded');
}

beforeAll(async () => {
  extractor = await createMfccExtractor();
});
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('loadFeatures', () => {
  test('a WAV the reader rejects throws its WavError naming the file', async () => {
    const { dir, cache } = dataFolder('not audio at all');
    const error = await errorOf(() => loadFeatures(loadDatasetIndex(dir), extractor, cache));
    expect(error).toBeInstanceOf(WavError);
    expect(error.line).toBe(`${join(dir, BROKEN)}: not a RIFF/WAVE file (starts with "not "); expected "RIFF"`);
  });

  test('with skipBad: the rejected WAV is listed with the reader\'s reason; the rest are MFCCs of the front end', async () => {
    const { dir, cache } = dataFolder('not audio at all');
    const index = loadDatasetIndex(dir);
    const progress: [number, number, string][] = [];
    const result = await loadFeatures(index, extractor, cache, { skipBad: true, onProgress: (done, total, path) => progress.push([done, total, path]) });
    expect(result.skipped).toEqual([{ file: join(dir, BROKEN), reason: 'not a RIFF/WAVE file (starts with "not "); expected "RIFF"' }]);
    expect(result.entries.map((e) => e.file)).toEqual(GOOD);
    expect([...result.labels]).toEqual([4, 0]); // happiness, anger in EMO-DB class order
    expect([result.frames, result.coefficients]).toEqual([188, 39]);
    GOOD.forEach((name, i) => {
      const wav = readWavFile(join(dir, name));
      const direct = extractor.mfcc(wav.samples, wav.sampleRateHz, 96000);
      expect(result.features.subarray(i * 188 * 39, (i + 1) * 188 * 39)).toEqual(direct);
    });
    expect(progress).toEqual([
      [1, 3, join(dir, GOOD[0]!)],
      [2, 3, join(dir, GOOD[1]!)],
      [3, 3, join(dir, BROKEN)],
    ]);
  });

  test('skipBad keeps the index stage\'s skipped files in the list, first', async () => {
    const { dir, cache } = dataFolder('');
    writeFileSync(join(dir, 'speech.wav'), '');
    const result = await loadFeatures(loadDatasetIndex(dir, { skipBad: true }), extractor, cache, { skipBad: true });
    expect(result.skipped.map((s) => s.file)).toEqual([join(dir, 'speech.wav'), join(dir, BROKEN)]);
    expect(result.entries.length).toBe(2);
  });

  test('when every file is skipped, a FormatError names the folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'msse-features-'));
    folders.push(root);
    writeFileSync(join(root, BROKEN), 'RIFF');
    const error = await errorOf(() => loadFeatures(loadDatasetIndex(root), extractor, new FeatureCache(join(root, 'c'), FRONT_END_SETTINGS), { skipBad: true }));
    expect(error).toBeInstanceOf(FormatError);
    expect(error.line).toBe(`${root}: no usable WAV files: every file was skipped`);
  });
});
