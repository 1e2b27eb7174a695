/**
 * What `msse train` and `msse cv` share: their training options, loading a data folder's features, the network
 * config built from the options, and the per-epoch log (a live line on a terminal, one plain
 * line per epoch otherwise, nothing but results with --quiet).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createMfccExtractor } from '../platform/node/mfcc.ts';
import { DEFAULT_LENGTH_SAMPLES, FRONT_END_SETTINGS, MAX_LENGTH_SAMPLES, frameCount, type FrontEndSettings } from '../audio/mfcc-settings.ts';
import { readAssetText } from '../platform/node/assets.ts';
import type { BackendName } from '../platform/node/backends.ts';
import { UsageError } from '../errors.ts';
import type { LoadedModel } from '../io/model-file.ts';
import { EMODB_CONFIG, type MsseConfig } from '../model/config.ts';
import { LABELS_CSV, loadDatasetIndex, loadFeatures, type DatasetFeatures, type DatasetIndex } from '../platform/node/dataset.ts';
import { defaultFeatureCacheDir, FeatureCache } from '../platform/node/feature-cache.ts';
import { checkSeed } from '../train/rng.ts';
import { classCounts, expectTwoClasses } from '../train/class-counts.ts';
import { backendOption, integerOption, stringOption, threadsOption, type CliIO, type OptionSpec, type ParsedArgs } from './command.ts';
import { formatSeconds, Progress } from './progress.ts';

/** TIM-Net's default epoch count (`--epoch 300` in its main.py); MS-SENet trains as long. */
export const DEFAULT_EPOCHS = 300;
/** The paper's batch size. */
export const DEFAULT_BATCH = 64;
/** The seed of the paper's 10-fold split (`random_state=46`). */
export const DEFAULT_SEED = 46;
/** The most epochs a run may ask for: far past any schedule, short of counters that lose precision. */
export const MAX_EPOCHS = 1_000_000;
/** The largest batch: more examples than any emotion corpus holds; the device's limits usually bind first. */
export const MAX_BATCH = 65_536;
/** The most TABs per direction: dilation 2^15 already spans 64 times the longest signal's 2584 frames. */
export const MAX_DILATIONS = 16;

/** Options of every training command. */
export const TRAINING_OPTIONS: OptionSpec = {
  data: { type: 'string' },
  epochs: { type: 'string' },
  batch: { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  length: { type: 'string' },
  dilations: { type: 'string' },
  backend: { type: 'string' },
  threads: { type: 'string' },
  'skip-bad': { type: 'boolean' },
  cache: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
};

/** Their --help lines. */
export const TRAINING_HELP = `  --data DIR         WAV files with a labels.csv (file,label[,speaker]) or EMO-DB file names
  --epochs N         epochs (default ${DEFAULT_EPOCHS})
  --batch N          batch size (default ${DEFAULT_BATCH})
  --lr X             Adam learning rate (default ${EMODB_CONFIG.adam.lr}; beta1 ${EMODB_CONFIG.adam.beta1}, beta2 ${EMODB_CONFIG.adam.beta2}, Keras form)
  --seed N           u32 seed of the weights, batch order and dropout masks (default ${DEFAULT_SEED})
  --length N         signal length in samples at 22050 Hz (default ${DEFAULT_LENGTH_SAMPLES}); frames = 1 + floor(N / 512)
  --dilations n      TABs per direction, dilations 1..2^(n-1) (default ${EMODB_CONFIG.numDilations})
  --backend NAME     webgpu (default), wasm (WebAssembly SIMD128 on the CPU) or reference (float64 TypeScript,
                     slow; the specification)
  --threads N        the wasm backend's threads, 1 to 16 (default: the cores, up to 4); the same bits at any count
  --skip-bad         leave out unreadable WAVs, unknown EMO-DB codes and labels.csv rows naming missing
                     files (each is reported on stderr) instead of stopping
  --cache DIR        MFCC cache folder (default $XDG_CACHE_HOME/msse/features, else ~/.cache/msse/features)
  -q, --quiet        no progress or per-epoch lines`;

/** The parsed training options. */
export interface TrainingArgs {
  readonly dataDir: string;
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly seed: number;
  readonly lengthSamples: number;
  readonly numDilations: number;
  readonly backend: BackendName;
  /** The wasm backend's threads (undefined on the others). */
  readonly threads: number | undefined;
  readonly skipBad: boolean;
  readonly cacheDir: string;
  readonly quiet: boolean;
}

/** Reads the training options of `command`; missing --data and bad values are UsageErrors. */
export function parseTrainingArgs(args: ParsedArgs, command: string): TrainingArgs {
  const dataDir = stringOption(args, 'data');
  if (dataDir === undefined) throw new UsageError(`${command}: missing --data DIR`);
  const seed = integerOption(args, 'seed', DEFAULT_SEED, 0);
  checkSeed(seed);
  const backend = backendOption(args);
  return {
    dataDir,
    epochs: integerOption(args, 'epochs', DEFAULT_EPOCHS, 1, MAX_EPOCHS),
    batchSize: integerOption(args, 'batch', DEFAULT_BATCH, 1, MAX_BATCH),
    lr: positiveNumberOption(args, 'lr', EMODB_CONFIG.adam.lr),
    seed,
    lengthSamples: integerOption(args, 'length', DEFAULT_LENGTH_SAMPLES, 1, MAX_LENGTH_SAMPLES),
    numDilations: integerOption(args, 'dilations', EMODB_CONFIG.numDilations, 1, MAX_DILATIONS),
    backend,
    threads: threadsOption(args, backend),
    skipBad: args.values['skip-bad'] === true,
    cacheDir: stringOption(args, 'cache') ?? defaultFeatureCacheDir(),
    quiet: args.values.quiet === true,
  };
}


/** A positive finite number option (`--lr 5e-4`). */
function positiveNumberOption(args: ParsedArgs, name: string, fallback: number): number {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a positive number, got '${text}'`);
  return value;
}

/** The paper's network with this run's classes, TAB count and learning rate. */
export function networkConfig(a: TrainingArgs, numClasses: number): MsseConfig {
  return { ...EMODB_CONFIG, numClasses, numDilations: a.numDilations, adam: { ...EMODB_CONFIG.adam, lr: a.lr } };
}

/** A data folder's index and features, and the front end they were computed with. */
export interface TrainingData {
  readonly index: DatasetIndex;
  readonly data: DatasetFeatures;
  readonly frontEnd: FrontEndSettings;
  /** SHA-256 over the labels, the class of each example and the features: what a checkpoint or report was made from. */
  readonly sha256: string;
}

/**
 * Lists and labels the data folder: cheap, so commands read it before any work to check their outputs against its
 * files and refuse a data set of fewer than two classes at once.
 * @throws FormatError naming the folder or its labels.csv (see loadDatasetIndex), or fewer than two classes
 */
export function loadTrainingIndex(a: TrainingArgs): DatasetIndex {
  const index = loadDatasetIndex(a.dataDir, { skipBad: a.skipBad });
  expectTwoClasses(index.labels, classCounts(index.entries.map((e) => e.label), index.labels.length), labelsSource(index));
  return index;
}

/** The files of a data folder a command reads: its WAVs and its labels.csv (none of them may be an output). */
export function dataInputs(index: DatasetIndex): string[] {
  return [...index.entries.map((e) => e.path), ...(index.source === 'labels.csv' ? [join(index.dir, LABELS_CSV)] : [])];
}

/** Where a data folder's labels come from, for messages: its labels.csv, or the folder of EMO-DB-named files. */
function labelsSource(index: DatasetIndex): string {
  return index.source === 'labels.csv' ? join(index.dir, LABELS_CSV) : index.dir;
}

/**
 * Featurises the data folder listed in `index` (MFCCs from the cache where present), reporting skipped files on
 * stderr and, unless quiet, a one-line summary on stdout.
 * @throws FormatError when the files left after skipping hold fewer than two classes
 */
export async function loadTrainingData(a: TrainingArgs, index: DatasetIndex, io: CliIO): Promise<TrainingData> {
  const frontEnd: FrontEndSettings = { ...FRONT_END_SETTINGS, lengthSamples: a.lengthSamples };
  const cache = new FeatureCache(a.cacheDir, frontEnd);
  const progress = a.quiet ? undefined : new Progress(io, 'features', index.entries.length);
  const data = await loadFeatures(index, await createMfccExtractor(), cache, { skipBad: a.skipBad, onProgress: (done) => progress?.update(done) });
  progress?.finish();
  for (const s of data.skipped) io.err(`msse: skipped ${s.file}: ${s.reason}`);
  const counts = classCounts(data.labels, index.labels.length);
  expectTwoClasses(index.labels, counts, labelsSource(index));
  if (!a.quiet) {
    const perClass = index.labels.map((label, c) => `${label} ${counts[c]}`);
    io.out(
      `data: ${data.entries.length} files (${perClass.join(', ')}), ${frameCount(a.lengthSamples)} frames x ${data.coefficients} MFCCs; ` +
        `features: ${cache.stats.hits} cached, ${cache.stats.misses} computed`,
    );
  }
  const hash = createHash('sha256').update(JSON.stringify(index.labels));
  hash.update(new Uint8Array(data.labels.buffer, data.labels.byteOffset, data.labels.byteLength));
  hash.update(new Uint8Array(data.features.buffer, data.features.byteOffset, data.features.byteLength));
  return { index, data, frontEnd, sha256: hash.digest('hex') };
}

/**
 * The `run` of a checkpoint (checkpoint.ts): what must be equal for a resumed run to continue it. The epoch
 * count may grow, since batch orders and dropout masks depend on the epoch and step, not on the total.
 */
export function checkpointRun(a: TrainingArgs, config: MsseConfig, { index, frontEnd, sha256 }: TrainingData): Record<string, unknown> {
  return { config, batch_size: a.batchSize, seed: a.seed, labels: index.labels, front_end: frontEnd, data_sha256: sha256, backend: a.backend };
}

/** The same settings as `checkpointRun`, as a model file written by `msse train` records them. */
export function modelRun({ config, labels, frontEnd, provenance: p }: LoadedModel): Record<string, unknown> {
  return { config, batch_size: p.batch_size, seed: p.seed, labels, front_end: frontEnd, data_sha256: p.data_sha256, backend: p.backend };
}

/** `--checkpoint-every N`: a checkpoint is due after every Nth epoch (none for N = 0) and after the last. */
export function checkpointDue(epoch: number, epochs: number, every: number): boolean {
  return epoch === epochs || (every > 0 && epoch % every === 0);
}

/** The command line as parsed (`msse train --data d -o m.safetensors --epochs 3`), for provenance. */
export function commandLine(command: string, args: ParsedArgs): string {
  const options = Object.entries(args.values).flatMap(([key, value]) =>
    value === true ? [`--${key}`] : typeof value === 'string' ? [`--${key}`, value] : [],
  );
  return ['msse', command, ...args.positionals, ...options].join(' ');
}

/** This msse's version, from its package.json. */
export function msseVersion(): string {
  return (JSON.parse(readAssetText('package.json')) as { version: string }).version;
}

/** `31.2%`. */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/**
 * The training log: a live line (batches done of the whole run, loss and accuracy so far in the epoch, ETA) on a
 * terminal, and after each epoch one plain line on stdout with its figures, its time and the run's ETA.
 */
export class EpochLog {
  private readonly progress: Progress | undefined;
  private readonly startedMs = performance.now();
  private stepsDone = 0;
  private epochStartedMs = performance.now();

  /** `totalSteps`: the batches this process will train, for the ETA. */
  constructor(
    private readonly io: CliIO,
    private readonly quiet: boolean,
    private readonly totalSteps: number,
  ) {
    this.progress = quiet ? undefined : new Progress(io, 'train', totalSteps);
  }

  /** Starts timing an epoch. */
  startEpoch(): void {
    this.epochStartedMs = performance.now();
  }

  /** After each batch: redraws the live line with `prefix` (`epoch 3/100`) and the running figures. */
  batch(prefix: string, running: { loss: number; accuracy: number }): void {
    this.stepsDone++;
    this.progress?.update(this.stepsDone, `${prefix}  loss ${running.loss.toFixed(4)}  acc ${percent(running.accuracy)}`);
  }

  /** After each epoch: one line, `text` then the epoch's time and the ETA of the run. */
  epoch(text: string): void {
    if (this.quiet) return;
    this.progress?.finish();
    const nowMs = performance.now();
    const etaS = ((nowMs - this.startedMs) / 1000 / this.stepsDone) * (this.totalSteps - this.stepsDone);
    this.io.out(`${text}  ${formatSeconds((nowMs - this.epochStartedMs) / 1000)}  ETA ${formatSeconds(etaS)}`);
  }
}
