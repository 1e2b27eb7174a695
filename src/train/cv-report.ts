/**
 * The result of `msse cv`: per-fold scores, confusion matrices and learning curves, and their summary. Written as
 * JSON (`--report OUT.json`, snake_case keys as Python readers expect) and rendered by src/report/cv-report-html.ts.
 *
 * Two scores per fold, never mixed:
 * - `last`: the model after the final epoch, the honest estimate (nothing was chosen by looking at the test fold);
 * - `best`: the epoch with the highest test WAR, first one on ties, as TIM-Net/MS-SENet report (Keras
 *   `ModelCheckpoint(monitor='val_accuracy', save_best_only=True)` with the test fold as validation data). It
 *   selects on the test data, so it is optimistic; it is kept to compare with the papers' tables.
 * The summary averages each over the folds; `last_pooled` scores the summed last-epoch confusion matrix instead
 * (every test sample once), which weights folds by their size and gives UAR over the whole data set.
 */
import { FormatError } from '../errors.ts';
import { readFileOr } from '../platform/node/read-file.ts';
import { sumConfusions, unweightedAverageRecall, weightedAverageRecall, type ConfusionMatrix } from './metrics.ts';

/** UAR and WAR as fractions in [0, 1]. */
export interface Scores {
  uar: number;
  war: number;
}

/** One epoch of one fold's learning curve (epochs are 1-based). */
export interface EpochPoint {
  epoch: number;
  /** Mean training loss over the epoch's batches (label-smoothed cross-entropy). */
  train_loss: number;
  /** Training accuracy over the epoch, in [0, 1]. */
  train_acc: number;
  test_uar: number;
  test_war: number;
}

/** One fold's results. */
export interface FoldResult {
  /** 1-based fold number (kfold.ts). */
  fold: number;
  /** Test samples in the fold. */
  n_test: number;
  /** After the last epoch; `confusion[true][predicted]` over the test fold. */
  last: Scores & { confusion: ConfusionMatrix };
  /** The epoch with the highest test WAR (paper-style). */
  best: Scores & { epoch: number };
  curve: EpochPoint[];
}

/** Summary over the folds of a report. */
export interface CvSummary {
  /** Mean over folds of the last-epoch scores. */
  last: Scores;
  /** Mean over folds of the best-epoch scores (paper-style). */
  best: Scores;
  /** Scores of the summed last-epoch confusion matrices, and that sum. */
  last_pooled: Scores & { confusion: ConfusionMatrix };
}

/** A cross-validation report. */
export interface CvReport {
  /**
   * Everything that determines the run (data folder, folds, seed, epochs, optimiser, front end, …). Reports merge
   * only when their configs are equal, so it must not name which folds a partial run computed.
   */
  config: Record<string, unknown>;
  /** Class names in class order (rows and columns of the confusion matrices). */
  labels: string[];
  /** Ascending by fold number. */
  folds: FoldResult[];
  summary: CvSummary;
}

/**
 * A fold's result from its learning curve and the last epoch's test confusion matrix: `last` scores the matrix,
 * `best` is the curve's epoch with the highest test WAR (the first on ties).
 */
export function makeFoldResult(fold: number, lastConfusion: ConfusionMatrix, curve: readonly EpochPoint[]): FoldResult {
  if (curve.length === 0) throw new FormatError(`fold ${fold}: empty learning curve; expected one point per epoch`);
  let best = curve[0]!;
  for (const point of curve) if (point.test_war > best.test_war) best = point;
  const n_test = lastConfusion.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
  return {
    fold,
    n_test,
    last: { uar: unweightedAverageRecall(lastConfusion), war: weightedAverageRecall(lastConfusion), confusion: lastConfusion },
    best: { epoch: best.epoch, uar: best.test_uar, war: best.test_war },
    curve: [...curve],
  };
}

/** A report over `folds` (sorted by fold number here) with its summary computed from them. */
export function buildCvReport(config: Record<string, unknown>, labels: readonly string[], folds: readonly FoldResult[]): CvReport {
  if (folds.length === 0) throw new FormatError('cv report: no folds');
  const sorted = [...folds].sort((a, b) => a.fold - b.fold);
  const mean = (pick: (f: FoldResult) => number): number => sorted.reduce((sum, f) => sum + pick(f), 0) / sorted.length;
  const pooled = sumConfusions(sorted.map((f) => f.last.confusion));
  return {
    config,
    labels: [...labels],
    folds: sorted,
    summary: {
      last: { uar: mean((f) => f.last.uar), war: mean((f) => f.last.war) },
      best: { uar: mean((f) => f.best.uar), war: mean((f) => f.best.war) },
      last_pooled: { uar: unweightedAverageRecall(pooled), war: weightedAverageRecall(pooled), confusion: pooled },
    },
  };
}

/**
 * Joins reports of partial runs (`--folds-only`) into one, its summary recomputed over all their folds.
 * `names` say which report is which in errors (file paths, by default `report 1`, `report 2`, …).
 * @throws FormatError when there are no reports, configs or labels differ, or a fold appears twice
 */
export function mergeCvReports(reports: readonly CvReport[], names: readonly string[] = reports.map((_, i) => `report ${i + 1}`)): CvReport {
  if (reports.length === 0) throw new FormatError('cannot merge: no reports given');
  const first = reports[0]!;
  const firstConfig = canonicalJson(first.config);
  const sourceOfFold = new Map<number, string>();
  for (const [i, report] of reports.entries()) {
    if (canonicalJson(report.config) !== firstConfig) {
      throw new FormatError(`cannot merge: ${names[i]} has a different config than ${names[0]} (${configDifference(first.config, report.config)})`);
    }
    if (canonicalJson(report.labels) !== canonicalJson(first.labels)) {
      throw new FormatError(`cannot merge: ${names[i]} has labels ${report.labels.join(', ')}; ${names[0]} has ${first.labels.join(', ')}`);
    }
    for (const fold of report.folds) {
      const earlier = sourceOfFold.get(fold.fold);
      if (earlier !== undefined) throw new FormatError(`cannot merge: fold ${fold.fold} is in both ${earlier} and ${names[i]}`);
      sourceOfFold.set(fold.fold, names[i]!);
    }
  }
  return buildCvReport(first.config, first.labels, reports.flatMap((r) => r.folds));
}

/** The first config key whose value differs, as `key: a vs b`. */
function configDifference(a: Record<string, unknown>, b: Record<string, unknown>): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const key = keys.find((k) => canonicalJson(a[k]) !== canonicalJson(b[k]))!;
  return `${key}: ${canonicalJson(a[key]) ?? 'absent'} vs ${canonicalJson(b[key]) ?? 'absent'}`;
}

/** JSON with object keys sorted at every level, so equal values compare equal as strings. */
function canonicalJson(value: unknown): string | undefined {
  return JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1))) : v,
  );
}

/** Reads and checks the cv report at `file` (parseCvReport); an unreadable file is a FormatError naming it. */
export function readCvReport(file: string): CvReport {
  return parseCvReport(new TextDecoder().decode(readFileOr(file, FormatError)), file);
}

/**
 * Parses a report written by `msse cv`, checking its shape (every field the renderer and the merge use) and its
 * values: `config.folds` an integer >= 2, fold numbers distinct and within it, and each fold consistent (foldFromJson).
 * The summary is recomputed from the folds, never read.
 * @throws FormatError naming `file` and the first field that is missing, of the wrong type or out of range
 */
export function parseCvReport(text: string, file: string): CvReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new FormatError(`not JSON (${(cause as Error).message}); expected an msse cv report`, { file, cause });
  }
  const check = jsonChecks(file, 'an msse cv report');
  const root = check.object(json, 'report');
  const labels = check.array(root['labels'], 'labels').map((l, i) => (typeof l === 'string' ? l : check.fail(`labels[${i}]`, 'a string')));
  const config = check.object(root['config'], 'config');
  const numFolds = config['folds'];
  if (typeof numFolds !== 'number' || !Number.isInteger(numFolds) || numFolds < 2) check.badValue('config.folds', numFolds, 'an integer >= 2');
  const folds = check.array(root['folds'], 'folds').map((v, i) => foldFromJson(check, v, `folds[${i}]`, labels.length));
  if (folds.length === 0) check.fail('folds', 'at least one fold');
  const seen = new Set<number>();
  for (const [i, { fold }] of folds.entries()) {
    if (fold > (numFolds as number)) check.badValue(`folds[${i}].fold`, fold, `a fold number from 1 to config.folds (${numFolds})`);
    if (seen.has(fold)) check.badValue(`folds[${i}].fold`, fold, 'each fold once (it appears twice)');
    seen.add(fold);
  }
  return buildCvReport(config, labels, folds);
}

/**
 * Reads one fold's entry (a `folds` element of a report, e.g. saved in a cv checkpoint) from parsed JSON, with its
 * keys in makeFoldResult's order, so that it stringifies to the same bytes as the entry it was written from.
 * `path` names the value in errors (`metadata "fold"`); its confusion matrix must be square.
 * @throws FormatError naming `file` and the first field that is missing or of the wrong type
 */
export function parseFoldResult(json: unknown, path: string, file: string): FoldResult {
  const check = jsonChecks(file, 'an msse cv fold');
  const rows = check.array(check.object(check.object(json, path)['last'], `${path}.last`)['confusion'], `${path}.last.confusion`);
  return foldFromJson(check, json, path, rows.length);
}

type JsonChecks = ReturnType<typeof jsonChecks>;

/**
 * Checks of parsed JSON read from `file`, each returning the value or throwing: a wrong type as
 * `path: expected …; not <what>`, a value out of range as `path is <value>; expected …`.
 */
function jsonChecks(file: string, what: string) {
  const fail = (path: string, expected: string): never => {
    throw new FormatError(`${path}: expected ${expected}; not ${what}`, { file });
  };
  const badValue = (path: string, value: unknown, expected: string): never => {
    throw new FormatError(`${path} is ${JSON.stringify(value) ?? 'missing'}; expected ${expected}`, { file });
  };
  const number = (v: unknown, path: string): number => (typeof v === 'number' && Number.isFinite(v) ? v : fail(path, 'a number'));
  return {
    fail,
    badValue,
    object: (v: unknown, path: string): Record<string, unknown> =>
      v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(path, 'an object'),
    array: (v: unknown, path: string): unknown[] => (Array.isArray(v) ? v : fail(path, 'an array')),
    number,
    /** A fraction of examples (UAR, WAR, accuracy): in [0, 1]. */
    fraction: (v: unknown, path: string): number => {
      const x = number(v, path);
      return x >= 0 && x <= 1 ? x : badValue(path, x, 'a fraction in [0, 1]');
    },
    /** A count (examples, confusion cells): an integer >= `min`. */
    count: (v: unknown, path: string, min = 0): number => {
      const x = number(v, path);
      return Number.isInteger(x) && x >= min ? x : badValue(path, x, `an integer >= ${min}`);
    },
  };
}

/** How far a stored score may be from the one its confusion matrix gives: JSON keeps doubles exactly, so rounding only. */
const SCORE_TOLERANCE = 1e-12;

/**
 * A fold's entry at `path`, its confusion matrix n × n of counts summing to `n_test`; `last`'s scores those of the
 * matrix, the curve's epochs 1, 2, … in order, `best` one of its points; every score a fraction in [0, 1].
 */
function foldFromJson(check: JsonChecks, v: unknown, path: string, n: number): FoldResult {
  const { object, array, number, fraction, count, fail, badValue } = check;
  const confusion = (value: unknown, at: string): ConfusionMatrix => {
    const rows = array(value, at);
    if (rows.length !== n) fail(at, `${n} rows (one per label)`);
    return rows.map((row, t) => {
      const cells = array(row, `${at}[${t}]`);
      if (cells.length !== n) fail(`${at}[${t}]`, `${n} counts`);
      return cells.map((c, p) => count(c, `${at}[${t}][${p}]`));
    });
  };
  const f = object(v, path);
  const last = object(f['last'], `${path}.last`);
  const best = object(f['best'], `${path}.best`);
  const curve = array(f['curve'], `${path}.curve`).map((p, e): EpochPoint => {
    const point = object(p, `${path}.curve[${e}]`);
    const at = (key: string) => `${path}.curve[${e}].${key}`;
    const epoch = count(point['epoch'], at('epoch'), 1);
    if (epoch !== e + 1) badValue(at('epoch'), epoch, `${e + 1} (epochs in order from 1)`);
    const trainLoss = number(point['train_loss'], at('train_loss'));
    if (trainLoss < 0) badValue(at('train_loss'), trainLoss, 'a loss >= 0');
    const [train_acc, test_uar, test_war] = (['train_acc', 'test_uar', 'test_war'] as const).map((key) => fraction(point[key], at(key)));
    return { epoch, train_loss: trainLoss, train_acc: train_acc!, test_uar: test_uar!, test_war: test_war! };
  });
  const result: FoldResult = {
    fold: count(f['fold'], `${path}.fold`, 1),
    n_test: count(f['n_test'], `${path}.n_test`),
    last: {
      uar: fraction(last['uar'], `${path}.last.uar`),
      war: fraction(last['war'], `${path}.last.war`),
      confusion: confusion(last['confusion'], `${path}.last.confusion`),
    },
    best: { epoch: count(best['epoch'], `${path}.best.epoch`, 1), uar: fraction(best['uar'], `${path}.best.uar`), war: fraction(best['war'], `${path}.best.war`) },
    curve,
  };
  const tested = result.last.confusion.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
  if (tested !== result.n_test) badValue(`${path}.n_test`, result.n_test, `${tested}, the count of its confusion matrix`);
  const scores = { uar: unweightedAverageRecall(result.last.confusion), war: weightedAverageRecall(result.last.confusion) };
  for (const key of ['uar', 'war'] as const) {
    if (Math.abs(result.last[key] - scores[key]) > SCORE_TOLERANCE) badValue(`${path}.last.${key}`, result.last[key], `${scores[key]}, the ${key.toUpperCase()} of its confusion matrix`);
  }
  const bestPoint = curve[result.best.epoch - 1];
  if (bestPoint === undefined) badValue(`${path}.best.epoch`, result.best.epoch, `an epoch of its curve (1 to ${curve.length})`);
  if (bestPoint!.test_uar !== result.best.uar || bestPoint!.test_war !== result.best.war) {
    fail(`${path}.best`, `the test UAR and WAR of epoch ${result.best.epoch} of its curve`);
  }
  return result;
}
