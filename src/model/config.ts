import { FormatError } from '../errors.ts';
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

/**
 * An MsseConfig from a file's `config` JSON, every field checked (a hand-edited or foreign file must not reach
 * the kernels with a fractional channel count).
 * @throws FormatError naming `file` and the first bad field
 */
export function parseMsseConfig(json: Readonly<Record<string, unknown>>, file: string): MsseConfig {
  const fail = (field: string, value: unknown, expected: string): never => {
    throw new FormatError(`metadata "config": ${field} is ${JSON.stringify(value) ?? 'missing'}; expected ${expected}`, { file });
  };
  const integer = (value: unknown, field: string, min: number): number =>
    typeof value === 'number' && Number.isInteger(value) && value >= min ? value : fail(field, value, `an integer >= ${min}`);
  const fraction = (value: unknown, field: string): number =>
    typeof value === 'number' && value >= 0 && value < 1 ? value : fail(field, value, 'a number in [0, 1)');
  const positive = (value: unknown, field: string): number =>
    typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fail(field, value, 'a positive number');
  const kernels = json['tfKernels'];
  const isPair = (k: unknown): k is unknown[] => Array.isArray(k) && k.length === 2;
  const tfKernels =
    Array.isArray(kernels) && kernels.length > 0 && kernels.every(isPair)
      ? kernels.map((k, p) => [integer(k[0], `tfKernels[${p}][0]`, 1), integer(k[1], `tfKernels[${p}][1]`, 1)] as const)
      : fail('tfKernels', kernels, 'a non-empty array of [kh, kw] pairs');
  const adam = json['adam'];
  if (adam === null || typeof adam !== 'object' || Array.isArray(adam)) return fail('adam', adam, 'an object {lr, beta1, beta2, eps}');
  const a = adam as Record<string, unknown>;
  return {
    feat: integer(json['feat'], 'feat', 1),
    filters: integer(json['filters'], 'filters', 1),
    numClasses: integer(json['numClasses'], 'numClasses', 2),
    numDilations: integer(json['numDilations'], 'numDilations', 1),
    tfKernels,
    tabKernel: integer(json['tabKernel'], 'tabKernel', 1),
    dropout2d: fraction(json['dropout2d'], 'dropout2d'),
    dropout1d: fraction(json['dropout1d'], 'dropout1d'),
    bnEps: positive(json['bnEps'], 'bnEps'),
    bnMomentum: fraction(json['bnMomentum'], 'bnMomentum'),
    labelSmoothing: fraction(json['labelSmoothing'], 'labelSmoothing'),
    adam: {
      lr: positive(a['lr'], 'adam.lr'),
      beta1: fraction(a['beta1'], 'adam.beta1'),
      beta2: fraction(a['beta2'], 'adam.beta2'),
      eps: positive(a['eps'], 'adam.eps'),
    },
  };
}
