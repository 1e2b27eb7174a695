/**
 * Mini-batches as the network reads them: rows of a feature set gathered into one (B, T, F) block.
 */
import { invariant } from '../errors.ts';

/**
 * Examples in one flat array, as loadFeatures (dataset.ts) returns them and classify builds them: example i is
 * `features[i·frames·coefficients …]`, frames-major, with class `labels[i]` (ignored where unknown).
 */
export interface FeatureSet {
  readonly features: Float32Array;
  readonly labels: ArrayLike<number>;
  readonly frames: number;
  readonly coefficients: number;
}

/** One batch on the host: x (B, frames, coefficients) row-major and the B class indices. */
export interface HostBatch {
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly shape: readonly [number, number, number];
}

/** Copies the examples `indices` (in that order) of `set` into one batch. */
export function gatherBatch(set: FeatureSet, indices: readonly number[]): HostBatch {
  const exampleSize = set.frames * set.coefficients;
  const numExamples = set.features.length / exampleSize;
  const x = new Float32Array(indices.length * exampleSize);
  const labels = new Int32Array(indices.length);
  indices.forEach((example, b) => {
    invariant(Number.isInteger(example) && example >= 0 && example < numExamples, `gatherBatch: example ${example} of ${numExamples}`);
    x.set(set.features.subarray(example * exampleSize, (example + 1) * exampleSize), b * exampleSize);
    labels[b] = set.labels[example]!;
  });
  return { x, labels, shape: [indices.length, set.frames, set.coefficients] };
}

/** `indices` cut into consecutive batches of `batchSize`, the last one shorter when the count does not divide. */
export function chunk(indices: readonly number[], batchSize: number): number[][] {
  invariant(Number.isInteger(batchSize) && batchSize >= 1, `chunk: batch size ${batchSize}`);
  const batches: number[][] = [];
  for (let start = 0; start < indices.length; start += batchSize) batches.push(indices.slice(start, start + batchSize));
  return batches;
}
