/**
 * The cross-validation figures a trained model's provenance carries: a `msse cv` report evaluates a training
 * protocol (data, seed, epochs, batch, network, front end), and its scores describe a model only when that model was
 * trained by the same protocol on the same data. `msse train --cv-report R.json` checks this and records which
 * report, how much of the protocol it ran (folds) and its two scores, labelled as the report labels them.
 */
import { UsageError } from '../errors.ts';
import type { CvReport, Scores } from './cv-report.ts';

/** The settings of a training run that a cv report's config must repeat, keyed as in the report. */
export interface TrainingProtocol {
  readonly data_sha256: string;
  readonly seed: number;
  readonly epochs: number;
  readonly batch_size: number;
  readonly network: object;
  readonly front_end: object;
}

/** What `provenance.cv` of a model file holds. */
export interface CvFigures {
  /** The report file, as given on the command line. */
  readonly report: string;
  /** Folds of the protocol, and those the report ran (all of them for the full protocol). */
  readonly folds: number;
  readonly folds_run: readonly number[];
  /** Mean over the folds run: after the last epoch (the honest figure) and at the best test epoch (paper-style). */
  readonly last: Scores;
  readonly best_for_comparison_only: Scores;
}

/**
 * The figures of `report` (read from `file`) for a model trained by `protocol`; a UsageError naming the file and
 * the first setting that differs when the report evaluated another protocol.
 */
export function cvFiguresFor(report: CvReport, file: string, protocol: TrainingProtocol): CvFigures {
  for (const [key, value] of Object.entries(protocol)) {
    const theirs = report.config[key];
    if (JSON.stringify(theirs) === JSON.stringify(value)) continue;
    const detail = typeof value === 'object' ? 'settings differ' : `is ${JSON.stringify(theirs)} there but ${JSON.stringify(value)} here`;
    throw new UsageError(`${file}: the cv report evaluated another training run: ${key} ${detail}`);
  }
  return {
    report: file,
    folds: Number(report.config.folds),
    folds_run: report.folds.map((f) => f.fold),
    last: report.summary.last,
    best_for_comparison_only: report.summary.best,
  };
}
