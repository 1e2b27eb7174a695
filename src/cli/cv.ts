import { openBackend } from '../backends/open-node.ts';
import { FormatError, UsageError } from '../errors.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { renderCvReportHtml } from '../io/report-html.ts';
import { readFileOr } from '../read-file.ts';
import { buildCvReport, makeFoldResult, mergeCvReports, parseCvReport, type CvReport, type EpochPoint, type FoldResult } from '../train/cv-report.ts';
import { kFoldSplits } from '../train/kfold.ts';
import { argmaxRows, confusionMatrix, unweightedAverageRecall, weightedAverageRecall, type ConfusionMatrix } from '../train/metrics.ts';
import { Trainer } from '../train/trainer.ts';
import { integerOption, stringOption, type CliIO, type Command, type ParsedArgs } from './command.ts';
import { EpochLog, loadTrainingData, networkConfig, parseTrainingArgs, percent, TRAINING_HELP, TRAINING_OPTIONS } from './training-run.ts';

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

Two scores are reported and never mixed:
  last   the model after the final epoch: the honest estimate
  best   the epoch with the highest test WAR, as the papers report; it selects on the test fold, so it is
         optimistic and given for comparison only

  --report OUT.json  where to write the report (and OUT.html beside it)
  --folds K          number of folds (default ${DEFAULT_FOLDS})
  --folds-only LIST  run only these folds (1-based, comma-separated), e.g. to split a run over machines;
                     join the parts with --merge
${TRAINING_HELP}
  --merge FILES...   join reports of partial runs (same config, disjoint folds) into -o ALL.json (+ ALL.html)
  -o, --output FILE  the merged report (with --merge)`,
  options: {
    ...TRAINING_OPTIONS,
    report: { type: 'string' },
    folds: { type: 'string' },
    'folds-only': { type: 'string' },
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

    const { index, data, frontEnd, sha256 } = await loadTrainingData(a, io);
    const config = networkConfig(a, index.labels.length);
    const splits = kFoldSplits(data.entries.length, numFolds, a.seed).filter((s) => only === undefined || only.includes(s.fold));
    const open = await openBackend(a.backend);
    const folds: FoldResult[] = [];
    try {
      const steps = splits.reduce((sum, s) => sum + Math.ceil(s.train.length / a.batchSize), 0) * a.epochs;
      const log = new EpochLog(io, a.quiet, steps);
      for (const split of splits) {
        const trainer = Trainer.create(open.backend, { config, batchSize: a.batchSize, seed: a.seed, fold: split.fold });
        const truth = split.test.map((i) => data.labels[i]!);
        const curve: EpochPoint[] = [];
        let confusion: ConfusionMatrix = [];
        for (let epoch = 1; epoch <= a.epochs; epoch++) {
          const prefix = `fold ${split.fold}/${numFolds} epoch ${epoch}/${a.epochs}`;
          log.startEpoch();
          const stats = await trainer.trainEpoch(data, split.train, (_, __, running) => log.batch(prefix, running));
          const predicted = argmaxRows(await trainer.predict(data, split.test), config.numClasses);
          confusion = confusionMatrix(truth, predicted, config.numClasses);
          const point = { epoch, train_loss: stats.loss, train_acc: stats.accuracy, test_uar: unweightedAverageRecall(confusion), test_war: weightedAverageRecall(confusion) };
          curve.push(point);
          log.epoch(`${prefix}  loss ${point.train_loss.toFixed(4)}  acc ${percent(point.train_acc)}  test UAR ${percent(point.test_uar)} WAR ${percent(point.test_war)}`);
        }
        trainer.dispose();
        const result = makeFoldResult(split.fold, confusion, curve);
        folds.push(result);
        io.out(
          `fold ${result.fold}: last UAR ${percent(result.last.uar)} WAR ${percent(result.last.war)}; ` +
            `best (epoch ${result.best.epoch}, for comparison only) UAR ${percent(result.best.uar)} WAR ${percent(result.best.war)}`,
        );
      }
    } finally {
      open.close();
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
  },
};

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

/** `cv --merge A.json B.json -o ALL.json`. */
function mergeReports(args: ParsedArgs, io: CliIO): void {
  const output = stringOption(args, 'output');
  if (output === undefined) throw new UsageError('cv --merge: missing -o ALL.json');
  if (args.positionals.length === 0) throw new UsageError('cv --merge: no reports given');
  const reports = args.positionals.map((file) => parseCvReport(new TextDecoder().decode(readFileOr(file, FormatError)), file));
  writeReport(output, mergeCvReports(reports, args.positionals), io);
}

/** Writes OUT.json and OUT.html (OUT minus a .json extension, plus .html) and prints the summary. */
function writeReport(path: string, report: CvReport, io: CliIO): void {
  const htmlPath = `${path.replace(/\.json$/i, '')}.html`;
  writeFileAtomic(path, `${JSON.stringify(report, null, 2)}\n`);
  writeFileAtomic(htmlPath, renderCvReportHtml(report));
  const { last, best, last_pooled: pooled } = report.summary;
  const folds = report.folds.map((f) => f.fold).join(',');
  io.out(`folds ${folds}: last UAR ${percent(last.uar)} WAR ${percent(last.war)} (pooled UAR ${percent(pooled.uar)} WAR ${percent(pooled.war)})`);
  io.out(`best epoch per fold (for comparison only): UAR ${percent(best.uar)} WAR ${percent(best.war)}`);
  io.out(`wrote ${path} and ${htmlPath}`);
}
