import type { AdamHyper } from '../ops/adam.ts';

/**
 * The shape and conventions of one MS-SENet. T (frames) and B (batch) are not here: they come from the input.
 * Every field is in the golden manifest's `config`, so a fixture fully determines the model it was made with.
 */
export interface MsseConfig {
  /** F, MFCCs per frame (39). */
  readonly feat: number;
  /** C, channels of every Conv2D/Conv1D (39). */
  readonly filters: number;
  readonly numClasses: number;
  /** n, TABs per direction, dilations 1, 2, …, 2^(n−1) (8 for EMO-DB length, 10 for IEMOCAP). */
  readonly numDilations: number;
  /** (kh, kw) of each TF-fusion path, kh along time: (11, 1), (1, 9), (3, 3). */
  readonly tfKernels: readonly (readonly [number, number])[];
  /** K of the TAB causal convs (2). */
  readonly tabKernel: number;
  /** SpatialDropout2D rate after each TF path (0.2). */
  readonly dropout2d: number;
  /** SpatialDropout1D rate inside the TABs (0.1). */
  readonly dropout1d: number;
  /** Keras BatchNormalization defaults: eps 1e-3, momentum 0.99. */
  readonly bnEps: number;
  readonly bnMomentum: number;
  readonly labelSmoothing: number;
  readonly adam: AdamHyper;
}

/** MS-SENet as in the paper, for EMO-DB (7 classes, n = 8). */
export const EMODB_CONFIG: MsseConfig = {
  feat: 39,
  filters: 39,
  numClasses: 7,
  numDilations: 8,
  tfKernels: [
    [11, 1],
    [1, 9],
    [3, 3],
  ],
  tabKernel: 2,
  dropout2d: 0.2,
  dropout1d: 0.1,
  bnEps: 1e-3,
  bnMomentum: 0.99,
  labelSmoothing: 0.1,
  adam: { lr: 1e-3, beta1: 0.93, beta2: 0.98, eps: 1e-8 },
};

/** Dilation of TAB j: 2^j. */
export function dilationOf(j: number): number {
  return 2 ** j;
}
