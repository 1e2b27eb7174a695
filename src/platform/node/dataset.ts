/**
 * A data folder (DESIGN.md, "Data"): WAV files labelled either by a labels.csv (`file,label[,speaker]`, paths
 * relative to the folder; see labels-csv.ts) or, without one, by EMO-DB file names (emodb-names.ts).
 *
 * Class order, which fixes the model's outputs: for EMO-DB names always EMODB_LABELS (anger, boredom, disgust,
 * fear, happiness, sadness, neutral); for a labels.csv the order in which labels first appear in the file; with
 * `expectedLabels` (e.g. a model's), exactly that list, each label with at least one example. Without it, a class
 * may have no examples: an EMO-DB subset still has all seven classes, and a labels.csv label whose rows were all
 * skipped keeps its place. Entry order, which fixes the k-fold split for a seed:
 * labels.csv row order, or file names sorted by UTF-16 code units (not the directory's own order, which differs
 * between file systems). WAVs not listed in a labels.csv are ignored; only the folder itself is scanned.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeWav } from '../../audio/wav.ts';
import { FormatError, WavError } from '../../errors.ts';
import { EMODB_LABELS, parseEmodbName } from '../../train/emodb-names.ts';
import { parseLabelsCsv } from '../../train/labels-csv.ts';
import { sha256Hex, type FeatureCache } from './feature-cache.ts';
import type { MfccExtractor } from '../../audio/mfcc-wasm.ts';
import { readFileOr } from './read-file.ts';
import { turnEventLoop } from '../../train/event-loop.ts';
import { fileMfcc } from './mfcc.ts';

/** The labels file whose presence switches a folder from EMO-DB names to explicit labels. */
export const LABELS_CSV = 'labels.csv';

/** One labelled WAV. */
export interface DatasetEntry {
  /** The path as listed: relative to the data folder (a labels.csv field, or a file name). */
  readonly file: string;
  /** `file` resolved against the data folder. */
  readonly path: string;
  /** Index into DatasetIndex.labels. */
  readonly label: number;
  /** Speaker id: EMO-DB's first two characters, a labels.csv third column, or undefined. */
  readonly speaker: string | undefined;
}

/** A file left out with `skipBad`, and why. */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

/** What a data folder holds. */
export interface DatasetIndex {
  readonly dir: string;
  /** How the labels were read. */
  readonly source: 'labels.csv' | 'emodb-names';
  /** Class names in class order. */
  readonly labels: readonly string[];
  readonly entries: readonly DatasetEntry[];
  /** Files left out with `skipBad` (unknown EMO-DB code, labels.csv row naming a missing file). */
  readonly skipped: readonly SkippedFile[];
}

export interface DatasetIndexOptions {
  /** Leave out files whose name or row is unusable instead of throwing; structural errors still throw. */
  skipBad?: boolean;
  /** The classes, in order, the data must have (each with at least one example, no others). */
  expectedLabels?: readonly string[];
}

/**
 * Lists and labels the WAVs of a data folder.
 * @throws FormatError naming the folder, labels.csv or WAV: unreadable folder, no WAVs, malformed labels.csv
 *   line, a row naming a missing file, a file listed twice, an unknown EMO-DB code, a label outside
 *   `expectedLabels` or an expected label without examples
 */
export function loadDatasetIndex(dir: string, options: DatasetIndexOptions = {}): DatasetIndex {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (cause) {
    throw new FormatError(`cannot read the data folder (${errorCode(cause)}); expected a folder of WAV files`, { file: dir, cause });
  }
  const labelled = names.includes(LABELS_CSV) ? readLabelsCsv(dir, options) : readEmodbNames(dir, names, options);
  if (options.expectedLabels !== undefined) {
    const counts = new Array<number>(labelled.labels.length).fill(0);
    for (const entry of labelled.entries) counts[entry.label]!++;
    const missing = labelled.labels.filter((_, i) => counts[i] === 0);
    if (missing.length > 0) {
      const where = labelled.source === 'labels.csv' ? join(dir, LABELS_CSV) : dir;
      const listed = missing.map((l) => `'${l}'`).join(', ');
      throw new FormatError(`no examples of ${listed}; expected every class of ${labelled.labels.join(', ')}`, { file: where });
    }
  }
  return { dir, ...labelled };
}

/** The Node error code of a failed file-system call (ENOENT, EACCES, …). */
function errorCode(cause: unknown): string {
  return (cause as NodeJS.ErrnoException).code ?? 'unknown error';
}

type Labelled = Pick<DatasetIndex, 'source' | 'labels' | 'entries' | 'skipped'>;

/** Maps a label name to its class index: fixed by `expected`, else in order of first appearance. */
function classIndexer(expected: readonly string[] | undefined): { labels: string[]; indexOf(label: string): number } {
  const labels = [...(expected ?? [])];
  return {
    labels,
    indexOf(label) {
      const known = labels.indexOf(label);
      if (known >= 0 || expected !== undefined) return known;
      labels.push(label);
      return labels.length - 1;
    },
  };
}

function readLabelsCsv(dir: string, options: DatasetIndexOptions): Labelled {
  const csvPath = join(dir, LABELS_CSV);
  let text: string;
  try {
    text = readFileSync(csvPath, 'utf8');
  } catch (cause) {
    throw new FormatError(`cannot read (${errorCode(cause)}); expected a file,label[,speaker] list`, { file: csvPath, cause });
  }
  const rows = parseLabelsCsv(text, csvPath);
  if (rows.length === 0) throw new FormatError('no rows; expected file,label[,speaker] lines', { file: csvPath });
  const classes = classIndexer(options.expectedLabels);
  const lineOfPath = new Map<string, number>();
  const entries: DatasetEntry[] = [];
  const skipped: SkippedFile[] = [];
  for (const row of rows) {
    const path = resolve(dir, row.file);
    const firstLine = lineOfPath.get(path);
    if (firstLine !== undefined) throw new FormatError(`line ${row.line}: '${row.file}' is already listed on line ${firstLine}`, { file: csvPath });
    lineOfPath.set(path, row.line);
    const label = classes.indexOf(row.label);
    if (label < 0) {
      throw new FormatError(`line ${row.line}: label '${row.label}' is not one of the expected labels (${classes.labels.join(', ')})`, { file: csvPath });
    }
    if (!existsSync(path) || !statSync(path).isFile()) {
      const reason = `line ${row.line}: no such file '${row.file}' in the data folder`;
      if (!options.skipBad) throw new FormatError(reason, { file: csvPath });
      skipped.push({ file: path, reason });
      continue;
    }
    entries.push({ file: row.file, path, label, speaker: row.speaker });
  }
  return { source: 'labels.csv', labels: classes.labels, entries, skipped };
}

function readEmodbNames(dir: string, names: readonly string[], options: DatasetIndexOptions): Labelled {
  const wavNames = names.filter((name) => name.toLowerCase().endsWith('.wav')).sort();
  if (wavNames.length === 0) {
    throw new FormatError(`no WAV files and no ${LABELS_CSV}; expected EMO-DB-named .wav files or a ${LABELS_CSV} (file,label[,speaker])`, { file: dir });
  }
  const classes = classIndexer(options.expectedLabels);
  const entries: DatasetEntry[] = [];
  const skipped: SkippedFile[] = [];
  for (const name of wavNames) {
    const path = resolve(dir, name);
    const parsed = parseEmodbName(name);
    if (!parsed.ok) {
      if (!options.skipBad) throw new FormatError(parsed.reason, { file: path });
      skipped.push({ file: path, reason: parsed.reason });
      continue;
    }
    const labelName = EMODB_LABELS[parsed.label]!;
    const label = options.expectedLabels === undefined ? parsed.label : classes.indexOf(labelName);
    if (label < 0) {
      throw new FormatError(`EMO-DB label '${labelName}' is not one of the expected labels (${classes.labels.join(', ')})`, { file: path });
    }
    entries.push({ file: name, path, label, speaker: parsed.speaker });
  }
  if (entries.length === 0) throw new FormatError('no usable WAV files: every name was skipped', { file: dir });
  return { source: 'emodb-names', labels: options.expectedLabels === undefined ? [...EMODB_LABELS] : classes.labels, entries, skipped };
}

/** The MFCCs of a data set, one row block per kept entry. */
export interface DatasetFeatures {
  /** Kept entries (those not skipped), in index order; `labels[i]` and features block i belong to entries[i]. */
  readonly entries: readonly DatasetEntry[];
  /** Class index of each kept entry. */
  readonly labels: Int32Array;
  /** entries x frames x coefficients, float32, entry-major then frames-major (the network's (B, T, F) input). */
  readonly features: Float32Array;
  readonly frames: number;
  readonly coefficients: number;
  /** The index's skipped files followed by WAVs the reader rejected (with `skipBad`). */
  readonly skipped: readonly SkippedFile[];
}

export interface LoadFeaturesOptions {
  /** Leave out WAVs the reader rejects (WavError) instead of throwing. */
  skipBad?: boolean;
  /** Called after each file with the count done, the total and the file's path. */
  onProgress?: (done: number, total: number, path: string) => void;
}

/**
 * Computes (or takes from `cache`) the MFCCs of every entry with the cache's front-end settings, letting the event
 * loop turn after each file (so a signal is handled within one file).
 * @throws WavError naming the WAV when it cannot be read or decoded (unless `skipBad`);
 *   FormatError naming the folder when every file was skipped
 */
export async function loadFeatures(
  index: DatasetIndex,
  extractor: MfccExtractor,
  cache: FeatureCache,
  options: LoadFeaturesOptions = {},
): Promise<DatasetFeatures> {
  const { settings } = cache;
  const blocks: Float32Array[] = [];
  const entries: DatasetEntry[] = [];
  const skipped = [...index.skipped];
  for (const [i, entry] of index.entries.entries()) {
    try {
      blocks.push(featuresOf(entry.path, extractor, cache));
      entries.push(entry);
    } catch (error) {
      if (!(options.skipBad && error instanceof WavError)) throw error;
      skipped.push({ file: entry.path, reason: error.message });
    }
    options.onProgress?.(i + 1, index.entries.length, entry.path);
    await turnEventLoop();
  }
  if (entries.length === 0) throw new FormatError('no usable WAV files: every file was skipped', { file: index.dir });
  const blockSize = blocks[0]!.length;
  const features = new Float32Array(blocks.length * blockSize);
  blocks.forEach((block, i) => features.set(block, i * blockSize));
  return {
    entries,
    labels: Int32Array.from(entries, (e) => e.label),
    features,
    frames: blockSize / settings.nMfcc,
    coefficients: settings.nMfcc,
    skipped,
  };
}

/** One WAV's features: hash its bytes, then a cache hit, or decode + extract + store. */
function featuresOf(path: string, extractor: MfccExtractor, cache: FeatureCache): Float32Array {
  const bytes = readFileOr(path, WavError);
  const key = sha256Hex(bytes);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const wav = decodeWav(bytes, path);
  const features = fileMfcc(extractor, path, wav, cache.settings.lengthSamples);
  cache.put(key, features);
  return features;
}
