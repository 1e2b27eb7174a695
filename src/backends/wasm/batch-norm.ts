import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import type { NetworkTrainingExports } from './exports.ts';
import { overParts, reduceOverParts, rowGrain, type Parts } from './parts.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * The batch-norm family's inference kernel on wasm tensors (kernels/network/batch-norm.ts): the given statistics,
 * channels-last, x seen as (rows, C), rows split over the threads. Scratch holds each range's per-channel factors
 * laid out for the channel walk.
 */
export function batchNormInference(w: WasmTensors): InferenceKernels['batchNorm'] {
  const k = w.kernels;
  return {
    forwardInference(x, gamma, beta, runningMean, runningVar, { eps }) {
      const chans = x.shape[x.shape.length - 1]!;
      const y = w.output(x.shape, 'batch-norm.y');
      w.parallel(
        'batchNormForwardInference',
        x.numElements / chans,
        () => k.batchNormScratchBytes(chans),
        (lo, hi, scratch) => [w.at(x, lo * chans), w.ptr(gamma), w.ptr(beta), w.ptr(runningMean), w.ptr(runningVar), w.at(y, lo * chans), scratch, hi - lo, chans, eps],
        rowGrain(chans),
      );
      return y;
    },
  };
}

/**
 * Training BatchNorm on all threads, the bits independent of their count: the per-channel sums (statistics, and
 * backward's Σ dy, Σ dy·x̂) over parts of CHUNK_ROWS rows combined in part order (src/backends/wasm/parts.ts);
 * forwardTrain then normalises with them (with `tail`: normalisation, ReLU and dropout in one pass, samples split),
 * backward's dx pass splits rows; updateRunning in f64.
 */
export function batchNormTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['batchNorm'] {
  const k = w.kernels;
  const inference = batchNormInference(w);
  /** Row parts of x (N, C): Σ x (centred 0) or Σ (x − mean)² (centred 1), each a row of C partials. */
  const moments = (x: Tensor, mean: Tensor, centred: number): Parts => {
    const chans = x.shape[x.shape.length - 1]!;
    const rows = x.numElements / chans;
    return {
      kernel: 'batchNormMomentParts',
      parts: k.chunkCount(rows),
      width: chans,
      args: (lo, hi, partials) => [w.ptr(x), w.ptr(mean), partials, lo, hi, rows, chans, centred],
    };
  };
  return {
    forwardTrain(x, gamma, beta, attrs, tail) {
      const chans = x.shape[x.shape.length - 1]!;
      const rows = x.numElements / chans;
      const mean = w.output([chans], 'batch-norm.mean');
      const variance = w.output([chans], 'batch-norm.variance');
      reduceOverParts(w, moments(x, mean, 0), mean, { scale: 1 / rows });
      reduceOverParts(w, moments(x, mean, 1), variance, { scale: 1 / rows });
      if (tail === undefined) return { y: inference.forwardInference(x, gamma, beta, mean, variance, attrs), mean, variance };
      const y = w.output(x.shape, 'batch-norm.y');
      const [batch, { seed, stream, step, keepBelow, scale }] = [x.shape[0]!, tail];
      w.parallel(
        'batchNormNormalizeTail',
        batch,
        () => k.batchNormTailScratchBytes(chans),
        (lo, hi, scratch) => [
          w.ptr(x), w.ptr(gamma), w.ptr(beta), w.ptr(mean), w.ptr(variance), w.ptr(y), scratch,
          lo, hi, rows / batch, chans, attrs.eps, seed, stream, step, keepBelow, scale,
        ],
      );
      return { y, mean, variance };
    },
    backward(dy, x, gamma, mean, variance, { eps }) {
      const chans = x.shape[x.shape.length - 1]!;
      const rows = x.numElements / chans;
      const dx = w.output(x.shape, 'batch-norm.dx');
      const dgamma = w.output([chans], 'batch-norm.dgamma');
      const dbeta = w.output([chans], 'batch-norm.dbeta');
      const sums: Parts = {
        kernel: 'batchNormBackwardParts',
        parts: k.chunkCount(rows),
        width: k.batchNormBackwardPartWidth(chans),
        args: (lo, hi, partials, scratch) => [w.ptr(dy), w.ptr(x), w.ptr(mean), w.ptr(variance), partials, scratch, lo, hi, rows, chans, eps],
        scratchBytes: () => k.batchNormBackwardScratchBytes(chans),
      };
      w.withScratch(k.batchNormFactorBytes(chans), (factors) => {
        overParts(w, sums, (partials) =>
          k.batchNormBackwardFactors(partials, sums.parts, w.ptr(gamma), w.ptr(variance), factors, w.ptr(dgamma), w.ptr(dbeta), rows, chans, eps),
        );
        w.parallel(
          'batchNormBackwardInput',
          rows,
          () => 0,
          (lo, hi) => [w.ptr(dy), w.ptr(x), w.ptr(mean), factors, w.ptr(dx), lo, hi, chans],
          rowGrain(chans),
        );
      });
      return { dx, dgamma, dbeta };
    },
    updateRunning(runningMean, runningVar, mean, variance, { momentum, varianceScale }) {
      k.batchNormUpdateRunning(w.ptr(runningMean), w.ptr(runningVar), w.ptr(mean), w.ptr(variance), mean.numElements, momentum, varianceScale);
    },
  };
}
