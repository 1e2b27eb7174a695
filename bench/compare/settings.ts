/**
 * How long `msse bench` measures each case: the full run (the figures in bench/RESULTS.md) and `--quick` (the
 * same cases and implementations with few samples, under two minutes on the 2-core CI machine; a smoke test).
 */

export type Suite = 'full' | 'quick';

/** A tinybench budget: at least `samples` timed iterations and `timeMs`, after `warmup` untimed ones. */
export interface Budget {
  readonly timeMs: number;
  readonly samples: number;
  readonly warmup: number;
}

export interface BenchSettings {
  /** Utterances in the batch every implementation's logits are checked on (one call, before any timing). */
  readonly parityBatch: number;
  /** Network-only and end-to-end forwards of one utterance. */
  readonly single: Budget;
  /** Forwards of LARGE_BATCH utterances (seconds each on llvmpipe: a fixed few). */
  readonly large: Budget;
  /** Training steps at LARGE_BATCH. */
  readonly trainingStep: Budget;
  /** The MFCC front end on one utterance. */
  readonly mfcc: Budget;
  /** Fresh processes per implementation for cold-start. */
  readonly coldStarts: number;
  /** Per-kernel tables: inference batches, the training step's batch, replays per dispatch (median). */
  readonly profile: { readonly inferenceBatches: readonly number[]; readonly trainingBatch: number; readonly repeats: number };
  /** Rounds of the roofline's multiplyAdd probe (shaders/roofline.wgsl). */
  readonly rooflineRounds: number;
}

/** The large batch: the paper's training batch and the library's classifyBatch size. */
export const LARGE_BATCH = 64;

/** A peer (or msse backend) whose logits differ from msse's float64 reference by more than this is not timed. */
export const PARITY_TOLERANCE = 1e-4;

export const SETTINGS: Readonly<Record<Suite, BenchSettings>> = {
  full: {
    parityBatch: 4,
    single: { timeMs: 4000, samples: 30, warmup: 10 },
    large: { timeMs: 0, samples: 5, warmup: 2 },
    trainingStep: { timeMs: 0, samples: 5, warmup: 2 },
    mfcc: { timeMs: 3000, samples: 100, warmup: 20 },
    coldStarts: 5,
    profile: { inferenceBatches: [1, LARGE_BATCH], trainingBatch: LARGE_BATCH, repeats: 3 },
    rooflineRounds: 1024,
  },
  quick: {
    parityBatch: 2,
    single: { timeMs: 400, samples: 5, warmup: 2 },
    large: { timeMs: 0, samples: 1, warmup: 1 },
    trainingStep: { timeMs: 0, samples: 1, warmup: 1 },
    mfcc: { timeMs: 200, samples: 10, warmup: 3 },
    coldStarts: 1,
    profile: { inferenceBatches: [1], trainingBatch: 4, repeats: 1 },
    rooflineRounds: 256,
  },
};
