/**
 * Inference: class probabilities from a model's parameters. BatchNorm uses its running statistics and dropout is
 * off, so an example's probabilities do not depend on what else is in its batch.
 */
import { msseForward, type MsseOutput } from '../model/msse.ts';
import { fusedParamsFromStore, fusedTensors, msseFusedForward, type FusedParams } from '../model/msse-fused.ts';
import type { MsseConfig } from '../model/config.ts';
import { hasFusedKernels, type InferenceBackend } from '../runtime/backend.ts';
import { ForwardPass } from '../runtime/graph.ts';
import type { ParamStore } from '../runtime/params.ts';
import type { Tensor } from '../runtime/tensor.ts';

/**
 * Runs an inference forward pass on x (B, T, F): BatchNorm on running statistics, no dropout, nothing kept for
 * backward. Given `fused` (the same model's folded parameters, src/model/msse-fused.ts) on a backend with the fused
 * kernels, the fused forward computes the logits (no intermediate activations); otherwise the unfused msseForward.
 */
export function runInference(backend: InferenceBackend, config: MsseConfig, params: ParamStore, x: Tensor, fused?: FusedParams): MsseOutput {
  if (fused !== undefined && hasFusedKernels(backend)) {
    return { logits: msseFusedForward(new ForwardPass(backend), config, fused, x), activations: new Map() };
  }
  return msseForward(new ForwardPass(backend), config, params, x, { training: false });
}

/** How predictProbabilities runs: `fused` parameters prepared by the caller, or false for the unfused forward. */
export interface PredictOptions {
  readonly fused?: FusedParams | false;
}

/**
 * Probabilities (examples × classes, row-major) of `examples` (count × frames × F MFCCs, frames-major, one after
 * the other), in batches of `batchSize`: one inference forward (fused where the backend has the fused kernels, see
 * PredictOptions) and one read of the logits per batch, softmax on the host in float64.
 */
export async function predictProbabilities(
  backend: InferenceBackend,
  config: MsseConfig,
  params: ParamStore,
  examples: Float32Array,
  frames: number,
  batchSize: number,
  options: PredictOptions = {},
): Promise<Float64Array> {
  // The fused forward where the backend has it: its folded parameters prepared here (read back from the store,
  // folded, uploaded) unless the caller holds them, and freed at the end.
  const own = options.fused === undefined && hasFusedKernels(backend) ? await fusedParamsFromStore(backend, config, params) : undefined;
  const fused = options.fused === false ? undefined : (options.fused ?? own);
  try {
    return await predictBatches(backend, config, params, examples, frames, batchSize, fused);
  } finally {
    for (const t of own === undefined ? [] : fusedTensors(own)) backend.dispose(t);
  }
}

async function predictBatches(
  backend: InferenceBackend,
  config: MsseConfig,
  params: ParamStore,
  examples: Float32Array,
  frames: number,
  batchSize: number,
  fused: FusedParams | undefined,
): Promise<Float64Array> {
  const exampleSize = frames * config.feat;
  const count = examples.length / exampleSize;
  const classes = config.numClasses;
  const probs = new Float64Array(count * classes);
  for (let first = 0; first < count; first += batchSize) {
    const rows = Math.min(batchSize, count - first);
    const batch = examples.subarray(first * exampleSize, (first + rows) * exampleSize);
    const x = backend.upload(batch, [rows, frames, config.feat], 'x', { transient: true });
    const { logits } = runInference(backend, config, params, x, fused);
    const values = await backend.read(logits);
    backend.releaseTransients();
    for (let b = 0; b < rows; b++) probs.set(softmax(values.subarray(b * classes, (b + 1) * classes)), (first + b) * classes);
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
