import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expectFitsBackend, openBackend } from '../platform/node/backends.ts';
import { frameCount } from '../audio/mfcc-settings.ts';
import { largestTensorBytes } from '../model/pass-size.ts';
import { FormatError, invariant, UsageError } from '../errors.ts';
import { writeOutputFile } from '../platform/node/output-file.ts';
import { prepareOutputs } from '../platform/node/prepare-outputs.ts';
import type { DatasetIndex } from '../platform/node/dataset.ts';
import { classCounts, classesBelowFolds } from '../train/class-counts.ts';
import { renderCvReportHtml } from '../report/cv-report-html.ts';
import { buildCvReport, makeFoldResult, mergeCvReports, readCvReport, type CvReport, type EpochPoint, type FoldResult } from '../train/cv-report.ts';
import { kFoldSplits } from '../train/kfold.ts';
import { argmaxRows, confusionMatrix, unweightedAverageRecall, weightedAverageRecall } from '../train/metrics.ts';
import { expectSameRun, loadCheckpoint, saveCheckpoint, type Checkpoint } from '../train/checkpoint.ts';
import { Trainer } from '../train/trainer.ts';
import { integerOption, stringOption, type CliIO, type Command, type ParsedArgs } from './command.ts';
import {
  checkpointDue,
  checkpointRun,
  dataInputs,
  EpochLog,
  loadTrainingData,
  loadTrainingIndex,
  networkConfig,
  parseTrainingArgs,
  percent,
  TRAINING_HELP,
  TRAINING_OPTIONS,
  MAX_EPOCHS,
  type TrainingArgs,
} from './training-run.ts';

/** The paper's protocol: 10 folds. */
const DEFAULT_FOLDS = 10;

export const cvCommand: Command = {
  name: 'cv',
  summary: 'k-fold cross-validation: per-fold and overall UAR/WAR, confusion, learning curves (JSON + HTML)',
  help: `usage: msse cv --data DIR --report OUT.json [--folds K] [--folds-only 1,2] [options]
       msse cv --merge A.json B.json [...] -o ALL.json

Shuffled K-fold cross-validation as in the paper: every fold trains a fresh model on the other folds and is
tested after each epoch. Writes OUT.json and OUT.html with, per fold and overall, UAR (mean per-class recall),
WAR (accuracy), confusion matrices and learning curves (train loss and accuracy, test UAR and WAR per epoch).
The fold in progress writes a checkpoint (its model, optimiser state and learning curve) every N epochs, and a
finished fold keeps its report entry there; --resume continues a killed run from them and writes the report an
uninterrupted run would have written.

Two scores are reported and never mixed:
  last   the model after the final epoch: the honest estimate
  best   the epoch with the highest test WAR, as the papers report; it selects on the test fold, so it is
         optimistic and given for comparison only

  --report OUT.json  where to write the report (and OUT.html beside it)
  --folds K          number of folds (default ${DEFAULT_FOLDS})
  --folds-only LIST  run only these folds (1-based, comma-separated), e.g. to split a run over machines;
                     join the parts with --merge
${TRAINING_HELP}
  --checkpoint DIR   the checkpoint folder, one fold-K.ckpt per fold (default OUT.json.ckpt)
  --checkpoint-every N
                     write the fold's checkpoint every N epochs and after its last (default 1; 0: only
                     after the last)
  --resume           skip the folds finished in DIR and continue the one in progress; the other options must be
                     those of the run that wrote it (--epochs may be larger, to train further)
  --merge FILES...   join reports of partial runs (same config, disjoint folds) into -o ALL.json (+ ALL.html)
  -o, --output FILE  the merged report (with --merge)`,
  options: {
    ...TRAINING_OPTIONS,
    report: { type: 'string' },
    folds: { type: 'string' },
    'folds-only': { type: 'string' },
    'checkpoint-every': { type: 'string' },
    checkpoint: { type: 'string' },
    resume: { type: 'boolean' },
    merge: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
  },

  async run(args, io) {
    if (args.values.merge === true) return mergeReports(args, io);
    if (args.positionals.length > 0) throw new UsageError(`cv: unexpected argument '${args.positionals[0]}'; the data folder goes after --data`);
    const a = parseTrainingArgs(args, 'cv');
    const reportPath = stringOption(args, 'report');
    if (reportPath === undefined) throw new UsageError('cv: missing --report OUT.json');
    const numFolds = integerOption(args, 'folds', DEFAULT_FOLDS, 2);
    const only = foldList(stringOption(args, 'folds-only'), numFolds);

    const checkpointEvery = integerOption(args, 'checkpoint-every', 1, 0, MAX_EPOCHS);
    const checkpointDir = stringOption(args, 'checkpoint') ?? `${reportPath}.ckpt`;
    const resume = args.values.resume === true;
    const foldNumbers = only ?? Array.from({ length: numFolds }, (_, i) => i + 1);
    if (resume && !foldNumbers.some((fold) => existsSync(foldCheckpointPath(checkpointDir, fold)))) {
      throw new UsageError(`cv: --resume but no fold checkpoint in ${checkpointDir}; run without --resume to start afresh`);
    }

    const index = loadTrainingIndex(a);
    kFoldSplits(index.entries.length, numFolds, a.seed); // more folds than files is refused now, not after the features
    const outputs = prepareOutputs([reportPath, htmlPathOf(reportPath), ...foldNumbers.map((fold) => foldCheckpointPath(checkpointDir, fold))], {
      inputs: dataInputs(index),
    });
    try {
      await crossValidate(a, { reportPath, numFolds, foldNumbers, checkpointDir, checkpointEvery, resume }, index, io);
    } finally {
      outputs.release();
    }
  },
};

/** What `msse cv` runs and writes, from its options. */
interface CvRun {
  readonly reportPath: string;
  readonly numFolds: number;
  /** The folds this process runs, ascending. */
  readonly foldNumbers: readonly number[];
  readonly checkpointDir: string;
  readonly checkpointEvery: number;
  readonly resume: boolean;
}

/** The folds of `msse cv` and their report, once its outputs are checked and locked. */
async function crossValidate(a: TrainingArgs, { reportPath, numFolds, foldNumbers, checkpointDir, checkpointEvery, resume }: CvRun, index: DatasetIndex, io: CliIO): Promise<void> {
  const config = networkConfig(a, index.labels.length);
  const frames = frameCount(a.lengthSamples);
  const open = await openBackend(a.backend, { threads: a.threads });
  const folds: FoldResult[] = [];
  try {
    // Before the features and the folds: a batch the device cannot hold would fail only at the first step.
    expectFitsBackend(open, largestTensorBytes(config, a.batchSize, frames), `a training batch of ${a.batchSize} x ${frames} frames`, 'lower --batch or --length');
    const training = await loadTrainingData(a, index, io);
    const { data, frontEnd, sha256 } = training;
    const splits = kFoldSplits(data.entries.length, numFolds, a.seed).filter((s) => foldNumbers.includes(s.fold));
    const runOfFold = (fold: number) => ({ ...checkpointRun(a, config, training), folds: numFolds, fold });
    // All checked before any training, so that a mismatch is refused at once rather than hours later.
    const saved = new Map<number, Checkpoint>();
    for (const fold of resume ? foldNumbers : []) {
      const checkpoint = resumableFold(foldCheckpointPath(checkpointDir, fold), runOfFold(fold), a.epochs);
      if (checkpoint !== undefined) saved.set(fold, checkpoint);
    }
    for (const { label, count } of classesBelowFolds(index.labels, classCounts(data.labels, index.labels.length), numFolds)) {
      io.err(`msse: warning: class '${label}' has ${count} example${count === 1 ? '' : 's'}, fewer than the ${numFolds} folds; some test folds have none of it`);
    }
    const epochsLeft = (fold: number) => a.epochs - (saved.get(fold)?.state.epoch ?? 0);
    const steps = splits.reduce((sum, s) => sum + Math.ceil(s.train.length / a.batchSize) * epochsLeft(s.fold), 0);
    const log = new EpochLog(io, a.quiet, steps);
    for (const split of splits) {
      const path = foldCheckpointPath(checkpointDir, split.fold);
      const checkpoint = saved.get(split.fold);
      const settings = { config, batchSize: a.batchSize, seed: a.seed, fold: split.fold };
      const trainer = checkpoint === undefined ? Trainer.create(open.backend, settings) : Trainer.restore(open.backend, settings, checkpoint.state, path);
      if (checkpoint !== undefined && !a.quiet) {
        const from = trainer.epoch === a.epochs ? 'finished in' : `resuming after epoch ${trainer.epoch} (step ${trainer.step}) from`;
        io.out(`fold ${split.fold}: ${from} ${path}`);
      }
      const truth = split.test.map((i) => data.labels[i]!);
      const curve: EpochPoint[] = [...(checkpoint?.fold?.curve ?? [])];
      let result = checkpoint?.fold;
      while (trainer.epoch < a.epochs) {
        const prefix = `fold ${split.fold}/${numFolds} epoch ${trainer.epoch + 1}/${a.epochs}`;
        log.startEpoch();
        const stats = await trainer.trainEpoch(data, split.train, (_, __, running) => log.batch(prefix, running));
        const predicted = argmaxRows(await trainer.predict(data, split.test), config.numClasses);
        const confusion = confusionMatrix(truth, predicted, config.numClasses);
        const point = { epoch: stats.epoch, train_loss: stats.loss, train_acc: stats.accuracy, test_uar: unweightedAverageRecall(confusion), test_war: weightedAverageRecall(confusion) };
        curve.push(point);
        result = makeFoldResult(split.fold, confusion, curve);
        if (checkpointDue(trainer.epoch, a.epochs, checkpointEvery)) {
          saveCheckpoint(path, { run: runOfFold(split.fold), state: await trainer.state(), fold: result });
        }
        log.epoch(`${prefix}  loss ${point.train_loss.toFixed(4)}  acc ${percent(point.train_acc)}  test UAR ${percent(point.test_uar)} WAR ${percent(point.test_war)}`);
      }
      trainer.dispose();
      invariant(result !== undefined, `cv: fold ${split.fold} ended without a result`);
      folds.push(result);
      io.out(
        `fold ${result.fold}: last UAR ${percent(result.last.uar)} WAR ${percent(result.last.war)}; ` +
          `best (epoch ${result.best.epoch}, for comparison only) UAR ${percent(result.best.uar)} WAR ${percent(result.best.war)}`,
      );
    }
    // Everything that fixes the numbers, and nothing that says which folds this part computed (merge compares it).
    const reportConfig = {
      data_sha256: sha256,
      samples: data.entries.length,
      folds: numFolds,
      seed: a.seed,
      epochs: a.epochs,
      batch_size: a.batchSize,
      backend: a.backend,
      network: config,
      front_end: frontEnd,
    };
    writeReport(reportPath, buildCvReport(reportConfig, index.labels, folds), io);
  } finally {
    open.close();
  }
}

/** `--folds-only 1,3`: distinct fold numbers in 1..K, ascending; undefined when the option is absent. */
function foldList(text: string | undefined, numFolds: number): number[] | undefined {
  if (text === undefined) return undefined;
  const folds = text.split(',').map((part) => {
    const fold = Number(part.trim());
    if (part.trim() === '' || !Number.isInteger(fold) || fold < 1 || fold > numFolds) {
      throw new UsageError(`--folds-only: '${part}' is not a fold number from 1 to ${numFolds}`);
    }
    return fold;
  });
  return [...new Set(folds)].sort((x, y) => x - y);
}

/** Where fold `fold` keeps its checkpoint. */
function foldCheckpointPath(dir: string, fold: number): string {
  return join(dir, `fold-${fold}.ckpt`);
}

/**
 * For --resume: the fold checkpoint at `path` of the fold whose checkpoint `run` is `run`; undefined when the fold
 * has none yet (it starts afresh).
 * @throws FormatError naming the file when it is from another run or its fold entry does not match its epoch;
 *   UsageError when it is past `epochs`
 */
function resumableFold(path: string, run: Record<string, unknown>, epochs: number): Checkpoint | undefined {
  if (!existsSync(path)) return undefined;
  const checkpoint = loadCheckpoint(path);
  expectSameRun(checkpoint.run, run, path);
  const { epoch } = checkpoint.state;
  const curveEpochs = checkpoint.fold?.curve.length ?? 0;
  if (curveEpochs !== epoch) {
    throw new FormatError(`metadata "fold" has a learning curve of ${curveEpochs} epochs; expected ${epoch}, the epochs completed`, { file: path });
  }
  if (epoch > epochs) throw new UsageError(`cv: ${path} is after epoch ${epoch}, past --epochs ${epochs}`);
  return checkpoint;
}

/** `cv --merge A.json B.json -o ALL.json`. */
function mergeReports(args: ParsedArgs, io: CliIO): void {
  const output = stringOption(args, 'output');
  if (output === undefined) throw new UsageError('cv --merge: missing -o ALL.json');
  if (args.positionals.length === 0) throw new UsageError('cv --merge: no reports given');
  const outputs = prepareOutputs([output, htmlPathOf(output)], { inputs: args.positionals });
  try {
    const reports = args.positionals.map(readCvReport);
    writeReport(output, mergeCvReports(reports, args.positionals), io);
  } finally {
    outputs.release();
  }
}

/** The HTML beside a report: OUT minus a .json extension, plus .html. */
function htmlPathOf(reportPath: string): string {
  return `${reportPath.replace(/\.json$/i, '')}.html`;
}

/** Writes OUT.json and OUT.html (OUT minus a .json extension, plus .html) and prints the summary. */
function writeReport(path: string, report: CvReport, io: CliIO): void {
  const htmlPath = htmlPathOf(path);
  writeOutputFile(path, `${JSON.stringify(report, null, 2)}\n`);
  writeOutputFile(htmlPath, renderCvReportHtml(report));
  const { last, best, last_pooled: pooled } = report.summary;
  const folds = report.folds.map((f) => f.fold).join(',');
  io.out(`folds ${folds}: last UAR ${percent(last.uar)} WAR ${percent(last.war)} (pooled UAR ${percent(pooled.uar)} WAR ${percent(pooled.war)})`);
  io.out(`best epoch per fold (for comparison only): UAR ${percent(best.uar)} WAR ${percent(best.war)}`);
  io.out(`wrote ${path} and ${htmlPath}`);
}
