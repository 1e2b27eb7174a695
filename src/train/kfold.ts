/**
 * The paper's evaluation split and the per-epoch batch order.
 *
 * `kFoldSplits` is structured as sklearn's `KFold(n_splits=K, shuffle=True, random_state=seed).split(x)`, which
 * TIM-Net and MS-SENet use: shuffle the indices 0..n-1 once, cut the shuffled list into K consecutive test folds,
 * the first n % K of them one sample longer; fold k trains on every other index, in ascending order. The shuffle
 * is our counter-based one (rng.ts), not numpy's, so the same seed gives a different split than sklearn does.
 */
import { UsageError, invariant } from '../errors.ts';
import { CounterRng, RNG_STREAM } from './rng.ts';

/** One fold of a K-fold split; indices refer to the data set's entries. */
export interface FoldSplit {
  /** 1-based fold number, as reports and `--folds-only` name folds. */
  readonly fold: number;
  /** Test indices in shuffled order (sklearn yields them so too). */
  readonly test: readonly number[];
  /** All other indices, ascending. */
  readonly train: readonly number[];
}

/**
 * Shuffled K-fold split of `numSamples` samples: each sample is in exactly one test fold; fold sizes are
 * floor(n / K) + 1 for the first n % K folds and floor(n / K) for the rest.
 * @throws UsageError when K < 2, K > n, or the seed is not a u32
 */
export function kFoldSplits(numSamples: number, numFolds: number, seed: number): FoldSplit[] {
  if (!Number.isInteger(numFolds) || numFolds < 2) {
    throw new UsageError(`k-fold: ${numFolds} folds; expected an integer of at least 2`);
  }
  if (numFolds > numSamples) {
    throw new UsageError(`k-fold: ${numFolds} folds but only ${numSamples} samples; expected at most one fold per sample`);
  }
  const order = new CounterRng(seed, RNG_STREAM.kfold).shuffle(Array.from({ length: numSamples }, (_, i) => i));
  const baseSize = Math.floor(numSamples / numFolds);
  const splits: FoldSplit[] = [];
  let start = 0;
  for (let k = 0; k < numFolds; k++) {
    const size = baseSize + (k < numSamples % numFolds ? 1 : 0);
    const test = order.slice(start, start + size);
    const inTest = new Set(test);
    const train: number[] = [];
    for (let i = 0; i < numSamples; i++) if (!inTest.has(i)) train.push(i);
    splits.push({ fold: k + 1, test, train });
    start += size;
  }
  invariant(start === numSamples, `k-fold: folds cover ${start} of ${numSamples} samples`);
  return splits;
}

/** What fixes one epoch's batch order: the run's seed, the fold (1-based) and the epoch (1-based). */
export interface BatchOrderKey {
  readonly seed: number;
  readonly fold: number;
  readonly epoch: number;
}

/**
 * The mini-batches of one epoch, as Keras `fit(shuffle=True)` forms them: the training indices shuffled afresh
 * each epoch, cut into batches of `batchSize`, the last one shorter when the count does not divide (it is kept,
 * not dropped). The order depends only on (seed, fold, epoch), so any epoch can be recomputed on its own.
 */
export function epochBatches(indices: readonly number[], batchSize: number, key: BatchOrderKey): number[][] {
  invariant(Number.isInteger(batchSize) && batchSize >= 1, `epochBatches: batch size ${batchSize}`);
  const order = new CounterRng(key.seed, RNG_STREAM.batches, key.epoch, key.fold).shuffle([...indices]);
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += batchSize) batches.push(order.slice(start, start + batchSize));
  return batches;
}
