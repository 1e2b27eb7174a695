/**
 * The one input every implementation gets: the first LARGE_BATCH EMO-DB utterances of the data folder (sorted by
 * name), decoded, and their MFCCs from msse's front end with the model's signal length (T = 188 frames of 39 for the
 * shipped model). Peers have no front end of their own; the end-to-end and cold-start cases give them msse's.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { frameCount } from '../../src/audio/mfcc-settings.ts';
import type { MfccExtractor } from '../../src/audio/mfcc-wasm.ts';
import type { DecodedWav } from '../../src/audio/wav.ts';
import { MsseError } from '../../src/errors.ts';
import type { CheckedModel } from '../../src/infer/checked-model.ts';
import { loadCheckedModel } from '../../src/platform/node/model-file.ts';
import { createMfccExtractor } from '../../src/platform/node/mfcc.ts';
import { readWavFile } from '../../src/platform/node/wav-file.ts';
import { parseEmodbName } from '../../src/train/emodb-names.ts';
import { LARGE_BATCH } from './settings.ts';

export interface BenchInput {
  readonly modelPath: string;
  readonly checked: CheckedModel;
  readonly dataDir: string;
  /** File names in the data folder, LARGE_BATCH of them, in input order. */
  readonly files: readonly string[];
  readonly wavs: readonly DecodedWav[];
  readonly extractor: MfccExtractor;
  /** T and F of one example. */
  readonly frames: number;
  readonly feat: number;
  /** (LARGE_BATCH, T, F) MFCCs, examples one after the other. */
  readonly mfcc: Float32Array;
  /** Class of each file (EMO-DB names), for the training step. */
  readonly labels: Int32Array;
}

/** The first `count` examples' MFCCs: (count, T, F). */
export function firstExamples(input: BenchInput, count: number): Float32Array {
  return input.mfcc.subarray(0, count * input.frames * input.feat);
}

/** Example i (mod LARGE_BATCH): (1, T, F). */
export function example(input: BenchInput, i: number): Float32Array {
  const size = input.frames * input.feat;
  const at = i % LARGE_BATCH;
  return input.mfcc.subarray(at * size, (at + 1) * size);
}

/**
 * Reads the model and the first LARGE_BATCH WAV files of `dataDir`, and computes their MFCCs.
 * @throws FormatError naming the model; MsseError naming the folder when it has fewer WAV files; WavError
 */
export async function loadBenchInput(modelPath: string, dataDir: string): Promise<BenchInput> {
  const checked = loadCheckedModel(modelPath);
  let names: string[];
  try {
    names = readdirSync(dataDir).filter((f) => f.toLowerCase().endsWith('.wav')).sort();
  } catch (cause) {
    throw new MsseError(`cannot read the data folder: ${(cause as Error).message.split('\n')[0]}; pass --data DIR (EMO-DB WAV files)`, { file: dataDir, cause });
  }
  if (names.length < LARGE_BATCH) {
    throw new MsseError(`${names.length} WAV files; the benchmark needs ${LARGE_BATCH} (pass --data DIR, e.g. EMO-DB's wav folder)`, { file: dataDir });
  }
  const files = names.slice(0, LARGE_BATCH);
  const extractor = await createMfccExtractor();
  const { config, lengthSamples } = checked;
  const frames = frameCount(lengthSamples);
  const size = frames * config.feat;
  const wavs = files.map((f) => readWavFile(join(dataDir, f)));
  const mfcc = new Float32Array(LARGE_BATCH * size);
  wavs.forEach((wav, i) => mfcc.set(extractor.mfcc(wav.samples, wav.sampleRateHz, lengthSamples), i * size));
  const labels = Int32Array.from(files, (f, i) => {
    const parsed = parseEmodbName(f);
    return parsed.ok && parsed.label < config.numClasses ? parsed.label : i % config.numClasses;
  });
  return { modelPath, checked, dataDir, files, wavs, extractor, frames, feat: config.feat, mfcc, labels };
}
