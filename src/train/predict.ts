/**
 * Inference: class probabilities from a model's parameters. BatchNorm uses its running statistics and dropout is
 * off, so an example's probabilities do not depend on what else is in its batch.
 */
import type { MsseConfig } from '../model/config.ts';
import type { Backend } from '../runtime/backend.ts';
import { recordInference } from '../model/step.ts';
import type { ParamStore } from '../runtime/params.ts';
import { chunk, gatherBatch, type FeatureSet } from './batches.ts';

/**
 * Probabilities (rows × classes, row-major) of the examples `indices` of `set`, in batches of `batchSize`:
 * one inference forward and one read of the logits per batch, softmax on the host in float64.
 */
export async function predictProbabilities(
  backend: Backend,
  config: MsseConfig,
  params: ParamStore,
  set: FeatureSet,
  indices: readonly number[],
  batchSize: number,
): Promise<Float64Array> {
  const classes = config.numClasses;
  const probs = new Float64Array(indices.length * classes);
  let row = 0;
  for (const batchIndices of chunk(indices, batchSize)) {
    const batch = gatherBatch(set, batchIndices);
    const x = backend.upload(batch.x, batch.shape, 'x', { transient: true });
    const { logits } = recordInference(backend, config, params, x);
    const values = await backend.read(logits);
    backend.releaseTransients();
    for (let b = 0; b < batchIndices.length; b++, row++) probs.set(softmax(values.subarray(b * classes, (b + 1) * classes)), row * classes);
  }
  return probs;
}

/** Softmax of one row of logits, shifted by its maximum so exp cannot overflow. */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < logits.length; c++) max = Math.max(max, logits[c]!);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let c = 0; c < logits.length; c++) sum += out[c] = Math.exp(logits[c]! - max);
  for (let c = 0; c < logits.length; c++) out[c]! /= sum;
  return out;
}
