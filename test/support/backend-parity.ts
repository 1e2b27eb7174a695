import { beforeAll, expect } from 'vitest';
import { referenceBackend } from '../../src/backends/reference/index.ts';
import { referenceInference } from '../../src/backends/reference/inference.ts';
import type {
  AdamAttrs, Backend, Conv1dAttrs, Conv2dAttrs, DropoutAttrs, InferenceBackend, ReduceAttrs, SliceAttrs,
} from '../../src/runtime/backend.ts';
import { formatShape, numElements, type Shape, type Tensor } from '../../src/runtime/tensor.ts';
import { mulberry32 } from './prng.ts';

/**
 * Parity of any backend's inference kernels with the float64 reference backend (src/backends/reference/, the
 * specification), generic over the kernel interface: each family has a table of shapes chosen to break index
 * maths (odd sizes, lengths off the SIMD width of 4, size-1 axes, batch 1, T below the dilation, the network's
 * own shapes) and a check that runs one case on both backends and returns each output's error
 * e = max|got − ref| / max|ref| (the golden comparator's metric; a NaN anywhere gives Infinity) with its
 * tolerance. Inputs are float32-representable seeded values, the same on both sides. Pass a backend that
 * poisons its outputs (NaN before each kernel runs): an element a kernel forgot stays NaN and fails.
 * Everything a check uploads is transient; it ends with releaseTransients. `trainingChecks` do the same for the
 * TrainingKernels of a whole `Backend` against the reference backend's training kernels.
 */
export const reference = referenceInference;

/** f32 rounding of short sums (≤ a few hundred terms of values in [−1, 1)). */
export const SHORT_SUM = 1e-5;
/** Long f32 reductions (thousands of terms). */
export const LONG_SUM = 1e-4;
/** One rounding per element (products, copies are exact; sigmoid's exp within a few ulp). */
export const ELEMENTWISE = 1e-6;

export interface ParityCheck {
  readonly what: string;
  readonly error: number;
  readonly tolerance: number;
}

/** Seeded uniform float32 values in [lo, hi) (mulberry32). */
export function randomValues(shape: Shape, seed: number, lo = -1, hi = 1): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: numElements(shape) }, () => lo + random() * (hi - lo));
}

interface Pair {
  readonly got: Tensor;
  readonly ref: Tensor;
}

/** The same seeded values as a transient tensor on the backend under test and on the reference. */
function pair(backend: InferenceBackend, shape: Shape, seed: number, name: string, lo = -1, hi = 1): Pair {
  const values = randomValues(shape, seed, lo, hi);
  return { got: backend.upload(values, shape, name, { transient: true }), ref: reference.upload(values, shape, name) };
}

/** e for one output, with its tolerance; shapes must agree. */
async function compare(backend: InferenceBackend, what: string, got: Tensor, ref: Tensor, tolerance: number): Promise<ParityCheck> {
  if (formatShape(got.shape) !== formatShape(ref.shape)) {
    throw new Error(`${what}: shape ${formatShape(got.shape)} != reference ${formatShape(ref.shape)}`);
  }
  const [a, b] = [await backend.read(got), await reference.read(ref)];
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (Number.isNaN(d)) return { what, error: Infinity, tolerance };
    maxDiff = Math.max(maxDiff, d);
    maxRef = Math.max(maxRef, Math.abs(b[i]!));
  }
  return { what, error: maxRef === 0 ? maxDiff : maxDiff / maxRef, tolerance };
}

/** Runs one case and ends the step, whatever happens. */
async function step(backend: InferenceBackend, run: () => Promise<ParityCheck[]>): Promise<ParityCheck[]> {
  try {
    return await run();
  } finally {
    backend.releaseTransients();
  }
}

/** One backend per test file, opened before its tests (pass one that poisons its outputs). */
export function useBackend<B extends InferenceBackend>(open: () => Promise<B>): () => B {
  let backend: B | undefined;
  beforeAll(async () => {
    backend = await open();
  });
  return () => backend!;
}

/** Asserts every check of a case, naming the output that failed. */
export function expectParity(checks: readonly ParityCheck[]): void {
  for (const c of checks) expect(c.error, c.what).toBeLessThanOrEqual(c.tolerance);
}

// ---- the tables: one per family, each row one case ----

/** Same-shape elementwise families (add, relu, sigmoid, mul without broadcast). */
export const ELEMENTWISE_SHAPES: readonly Shape[] = [[0], [1], [3], [5], [63], [1, 1, 1], [3, 5, 7], [2, 65, 3], [4, 188, 39], [100_003]];

export interface MulCase {
  readonly a: Shape;
  /** b is the (B, C) gate broadcast over a's middle axes; else b has a's shape. */
  readonly broadcast: boolean;
}
export const MUL_CASES: readonly MulCase[] = [
  ...ELEMENTWISE_SHAPES.map((a) => ({ a, broadcast: false })),
  { a: [1, 1, 1], broadcast: true },
  { a: [2, 5, 3], broadcast: true },
  { a: [3, 1, 65], broadcast: true },
  { a: [3, 4, 13], broadcast: true },
  { a: [2, 9, 12], broadcast: true },
  { a: [1, 4, 39], broadcast: true },
  { a: [2, 7, 5, 39], broadcast: true },
];

export interface ReduceCase {
  readonly shape: Shape;
  readonly attrs: ReduceAttrs;
  readonly tolerance: number;
}
export const REDUCE_CASES: readonly ReduceCase[] = [
  { shape: [5], attrs: { axis: 0, count: 1, scale: 1 }, tolerance: SHORT_SUM },
  { shape: [2, 0, 3], attrs: { axis: 1, count: 1, scale: 1 }, tolerance: SHORT_SUM },
  { shape: [1, 1, 1], attrs: { axis: 1, count: 1, scale: 0.5 }, tolerance: SHORT_SUM },
  { shape: [3, 7, 5, 2], attrs: { axis: 1, count: 2, scale: 1 / 35 }, tolerance: SHORT_SUM },
  { shape: [4, 3, 300], attrs: { axis: 1, count: 2, scale: 1 }, tolerance: SHORT_SUM },
  { shape: [3, 5, 8], attrs: { axis: 2, count: 1, scale: 1 }, tolerance: SHORT_SUM },
  { shape: [2, 9, 6], attrs: { axis: 1, count: 1, scale: 1 }, tolerance: SHORT_SUM },
  { shape: [2, 3, 7], attrs: { axis: 1, count: 1, scale: 1 }, tolerance: SHORT_SUM },
  { shape: [3, 301, 7], attrs: { axis: 1, count: 1, scale: 1 }, tolerance: SHORT_SUM },
  { shape: [2, 300, 13], attrs: { axis: 1, count: 1, scale: 0.25 }, tolerance: SHORT_SUM },
  { shape: [1, 188, 39], attrs: { axis: 1, count: 1, scale: 1 / 188 }, tolerance: SHORT_SUM },
  { shape: [4, 188, 39], attrs: { axis: 1, count: 1, scale: 1 / 188 }, tolerance: SHORT_SUM },
  { shape: [2, 188, 39, 39], attrs: { axis: 1, count: 2, scale: 1 / (188 * 117) }, tolerance: LONG_SUM },
  { shape: [16, 188, 39, 8], attrs: { axis: 0, count: 3, scale: 1 }, tolerance: LONG_SUM },
];

export interface ConcatCase {
  readonly parts: readonly Shape[];
  readonly axis: number;
}
export const CONCAT_CASES: readonly ConcatCase[] = [
  { parts: [[1, 3], [4, 3]], axis: 0 },
  { parts: [[2, 3, 4], [2, 1, 4], [2, 6, 4]], axis: 1 },
  { parts: [[2, 3, 5], [2, 3, 1]], axis: 2 },
  { parts: [[2, 5, 39, 1], [2, 5, 39, 1], [2, 5, 39, 1]], axis: 2 },
  { parts: [[3, 188, 117], [3, 188, 39]], axis: 2 },
  { parts: Array.from({ length: 8 }, () => [4, 1, 39]), axis: 1 },
  { parts: [[7, 65]], axis: 1 },
  { parts: [[1, 1, 1, 1], [1, 1, 1, 1]], axis: 3 },
];

export const REVERSE_TIME_SHAPES: readonly Shape[] = [[1, 1], [2, 1, 65], [3, 7], [3, 188, 39], [4, 7, 3, 5], [1, 65, 1]];

export interface DenseCase {
  readonly x: Shape;
  readonly w: Shape;
}
export const DENSE_CASES: readonly DenseCase[] = [
  { x: [1, 1], w: [1, 1] },
  { x: [3, 5, 7], w: [6, 7] },
  { x: [2, 3, 117, 39], w: [1, 39, 1, 1] },
  { x: [2, 9, 156], w: [39, 156, 1] },
  { x: [1, 188, 156], w: [39, 156, 1] },
  { x: [4, 39], w: [39, 39] },
  { x: [5, 39], w: [7, 39] },
  { x: [9, 2], w: [13, 2] },
  { x: [7, 3], w: [4, 3] },
  { x: [6, 5], w: [8, 5] },
  { x: [2, 3], w: [12, 3] },
];

/** Per-sample weights: x (B, …, In), w (B, In), b (1). */
export const PER_SAMPLE_SHAPES: readonly Shape[] = [[1, 1, 1], [3, 4, 5], [3, 20, 39], [2, 8, 2], [4, 4, 1], [2, 3, 7], [3, 7, 1, 39], [1, 188, 39, 39], [2, 5, 4]];

export interface Conv2dCase {
  readonly x: readonly [number, number, number];
  readonly chans: number;
  readonly kernel: Conv2dAttrs;
}
export const CONV2D_CASES: readonly Conv2dCase[] = [
  { x: [1, 1, 1], chans: 1, kernel: { kh: 1, kw: 1 } },
  { x: [2, 5, 7], chans: 6, kernel: { kh: 3, kw: 3 } },
  { x: [2, 4, 39], chans: 39, kernel: { kh: 11, kw: 1 } },
  { x: [3, 6, 5], chans: 39, kernel: { kh: 1, kw: 9 } },
  { x: [1, 6, 9], chans: 5, kernel: { kh: 2, kw: 4 } },
  { x: [2, 10, 3], chans: 7, kernel: { kh: 4, kw: 2 } },
  { x: [2, 13, 39], chans: 39, kernel: { kh: 3, kw: 3 } },
  { x: [3, 18, 2], chans: 5, kernel: { kh: 5, kw: 1 } },
  { x: [1, 3, 1], chans: 8, kernel: { kh: 3, kw: 3 } },
  { x: [2, 3, 2], chans: 5, kernel: { kh: 1, kw: 9 } },
  { x: [2, 2, 3], chans: 6, kernel: { kh: 11, kw: 1 } },
  { x: [1, 188, 39], chans: 39, kernel: { kh: 11, kw: 1 } },
  { x: [2, 188, 39], chans: 39, kernel: { kh: 1, kw: 9 } },
  { x: [1, 188, 39], chans: 39, kernel: { kh: 3, kw: 3 } },
];

export interface Conv1dCase {
  readonly batch: number;
  readonly time: number;
  readonly cin: number;
  readonly cout: number;
  readonly attrs: Conv1dAttrs;
}
export const CONV1D_CASES: readonly Conv1dCase[] = [
  { batch: 1, time: 1, cin: 1, cout: 1, attrs: { taps: 1, dilation: 1 } },
  { batch: 2, time: 5, cin: 3, cout: 4, attrs: { taps: 2, dilation: 8 } },
  { batch: 2, time: 7, cin: 5, cout: 6, attrs: { taps: 2, dilation: 6 } },
  { batch: 3, time: 37, cin: 5, cout: 6, attrs: { taps: 3, dilation: 2 } },
  { batch: 2, time: 9, cin: 9, cout: 13, attrs: { taps: 4, dilation: 3 } },
  { batch: 2, time: 10, cin: 7, cout: 5, attrs: { taps: 3, dilation: 4 } },
  { batch: 3, time: 8, cin: 4, cout: 9, attrs: { taps: 3, dilation: 8 } },
  { batch: 3, time: 6, cin: 8, cout: 16, attrs: { taps: 1, dilation: 5 } },
  { batch: 1, time: 3, cin: 39, cout: 39, attrs: { taps: 2, dilation: 1 } },
  { batch: 1, time: 188, cin: 39, cout: 39, attrs: { taps: 2, dilation: 1 } },
  { batch: 1, time: 188, cin: 39, cout: 39, attrs: { taps: 2, dilation: 128 } },
  { batch: 3, time: 188, cin: 39, cout: 39, attrs: { taps: 2, dilation: 16 } },
  { batch: 2, time: 100, cin: 39, cout: 39, attrs: { taps: 2, dilation: 128 } },
];

export const BATCH_NORM_SHAPES: readonly Shape[] = [[1, 1], [3, 2], [5, 7, 3], [9, 4], [1, 1, 3, 65], [4, 188, 39], [2, 37, 39, 39], [3, 5, 8], [7, 6]];

/** g (B, n, C). */
export const WEIGHTED_SUM_SHAPES: readonly Shape[] = [[1, 1, 1], [4, 8, 39], [64, 8, 39], [3, 10, 7], [2, 1, 65], [1, 8, 4]];

// ---- the checks: one per family, each runs one case on both backends ----

const sameShapeCheck = (
  family: string,
  run: (k: InferenceBackend, x: Tensor) => Tensor,
  lo = -1,
  hi = 1,
): ((backend: InferenceBackend, shape: Shape) => Promise<ParityCheck[]>) => {
  return (backend, shape) =>
    step(backend, async () => {
      const x = pair(backend, shape, 1, 'x', lo, hi);
      return [await compare(backend, `${family}.forward y`, run(backend, x.got), run(reference, x.ref), ELEMENTWISE)];
    });
};

export const inferenceChecks = {
  add: (backend: InferenceBackend, shape: Shape): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const [a, b] = [pair(backend, shape, 1, 'a'), pair(backend, shape, 2, 'b')];
      return [await compare(backend, 'add.forward y', backend.add.forward(a.got, b.got), reference.add.forward(a.ref, b.ref), ELEMENTWISE)];
    }),

  relu: sameShapeCheck('relu', (k, x) => k.relu.forward(x)),

  /** Inputs in [−12, 12): both tails of the curve. */
  sigmoid: sameShapeCheck('sigmoid', (k, x) => k.sigmoid.forward(x), -12, 12),

  mul: (backend: InferenceBackend, { a: aShape, broadcast }: MulCase): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const bShape = broadcast ? [aShape[0]!, aShape[aShape.length - 1]!] : aShape;
      const [a, b] = [pair(backend, aShape, 1, 'a'), pair(backend, bShape, 2, 'b')];
      return [await compare(backend, 'mul.forward y', backend.mul.forward(a.got, b.got), reference.mul.forward(a.ref, b.ref), ELEMENTWISE)];
    }),

  reduceSum: (backend: InferenceBackend, { shape, attrs, tolerance }: ReduceCase): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const x = pair(backend, shape, 11, 'x');
      return [await compare(backend, 'reduceSum.forward y', backend.reduceSum.forward(x.got, attrs), reference.reduceSum.forward(x.ref, attrs), tolerance)];
    }),

  concat: (backend: InferenceBackend, { parts, axis }: ConcatCase): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const ps = parts.map((shape, p) => pair(backend, shape, p + 1, `parts[${p}]`));
      const got = backend.concat.forward(ps.map((p) => p.got), { axis });
      const ref = reference.concat.forward(ps.map((p) => p.ref), { axis });
      return [await compare(backend, 'concat.forward y', got, ref, 0)];
    }),

  reverseTime: (backend: InferenceBackend, shape: Shape): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const x = pair(backend, shape, 1, 'x');
      const got = backend.reverseTime.forward(x.got);
      return [
        await compare(backend, 'reverseTime.forward y', got, reference.reverseTime.forward(x.ref), 0),
        await compare(backend, 'reverseTime.forward twice = x', backend.reverseTime.forward(got), x.ref, 0),
      ];
    }),

  dense: (backend: InferenceBackend, { x: xShape, w: wShape }: DenseCase): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const [x, w, b] = [pair(backend, xShape, 11, 'x'), pair(backend, wShape, 12, 'w'), pair(backend, [wShape[0]!], 13, 'b')];
      return [await compare(backend, 'dense.forward y', backend.dense.forward(x.got, w.got, b.got), reference.dense.forward(x.ref, w.ref, b.ref), SHORT_SUM)];
    }),

  denseForwardPerSample: (backend: InferenceBackend, xShape: Shape): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const [batch, cin] = [xShape[0]!, xShape[xShape.length - 1]!];
      const [x, w, b] = [pair(backend, xShape, 31, 'x'), pair(backend, [batch, cin], 32, 'w'), pair(backend, [1], 33, 'b')];
      const got = backend.dense.forwardPerSample(x.got, w.got, b.got);
      return [await compare(backend, 'dense.forwardPerSample y', got, reference.dense.forwardPerSample(x.ref, w.ref, b.ref), SHORT_SUM)];
    }),

  conv2d: (backend: InferenceBackend, { x: xShape, chans, kernel }: Conv2dCase): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const x = pair(backend, xShape, 1, 'x');
      const w = pair(backend, [chans, 1, kernel.kh, kernel.kw], 2, 'w');
      const b = pair(backend, [chans], 3, 'b');
      const got = backend.conv2d.forward(x.got, w.got, b.got, kernel);
      return [await compare(backend, 'conv2d.forward y', got, reference.conv2d.forward(x.ref, w.ref, b.ref, kernel), SHORT_SUM)];
    }),

  conv1dCausal: (backend: InferenceBackend, { batch, time, cin, cout, attrs }: Conv1dCase): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const x = pair(backend, [batch, time, cin], 41, 'x');
      const w = pair(backend, [cout, cin, attrs.taps], 42, 'w');
      const b = pair(backend, [cout], 43, 'b');
      const got = backend.conv1dCausal.forward(x.got, w.got, b.got, attrs);
      return [await compare(backend, 'conv1dCausal.forward y', got, reference.conv1dCausal.forward(x.ref, w.ref, b.ref, attrs), SHORT_SUM)];
    }),

  /** Running statistics as inputs: a mean and a positive variance per channel; x in [−1, 3). */
  batchNorm: (backend: InferenceBackend, shape: Shape): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const chans = [shape[shape.length - 1]!];
      const x = pair(backend, shape, 21, 'x', -1, 3);
      const gamma = pair(backend, chans, 22, 'gamma', 0.5, 1.5);
      const beta = pair(backend, chans, 23, 'beta');
      const mean = pair(backend, chans, 25, 'runningMean');
      const variance = pair(backend, chans, 26, 'runningVar', 0.5, 2);
      const attrs = { eps: 1e-3 };
      const got = backend.batchNorm.forwardInference(x.got, gamma.got, beta.got, mean.got, variance.got, attrs);
      const ref = reference.batchNorm.forwardInference(x.ref, gamma.ref, beta.ref, mean.ref, variance.ref, attrs);
      return [await compare(backend, 'batchNorm.forwardInference y', got, ref, SHORT_SUM)];
    }),

  weightedSum: (backend: InferenceBackend, shape: Shape): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const [g, w] = [pair(backend, shape, 1, 'g'), pair(backend, [shape[1]!], 2, 'w')];
      return [await compare(backend, 'weightedSum.forward z', backend.weightedSum.forward(g.got, w.got), reference.weightedSum.forward(g.ref, w.ref), SHORT_SUM)];
    }),
};

// ---- training: the same harness for TrainingKernels, against the whole reference backend ----

/** The float64 reference with its training kernels (the specification of every backward entry). */
export const referenceTraining: Backend = referenceBackend;

/** Weight-gradient reductions over every row of a batch (thousands to ~10^5 products). */
export const GRADIENT_SUM = 1e-4;

export interface SliceCase {
  readonly shape: Shape;
  readonly attrs: SliceAttrs;
}
export const SLICE_CASES: readonly SliceCase[] = [
  { shape: [1], attrs: { axis: 0, start: 0, width: 1 } },
  { shape: [5, 3], attrs: { axis: 0, start: 1, width: 3 } },
  { shape: [2, 11, 4], attrs: { axis: 1, start: 6, width: 5 } },
  { shape: [2, 3, 7], attrs: { axis: 2, start: 3, width: 1 } },
  { shape: [3, 188, 156], attrs: { axis: 2, start: 39, width: 117 } },
  { shape: [4, 8, 39], attrs: { axis: 1, start: 7, width: 1 } },
  { shape: [2, 5, 117, 1], attrs: { axis: 2, start: 78, width: 39 } },
];

/** Dropout attrs: rate 0.3 (keepBelow = round(0.7 · 2^32)), and rate 0 (keep all, keepBelow 2^32 − 1). */
export const DROPOUT_ATTRS: readonly DropoutAttrs[] = [
  { seed: 7, stream: 3, step: 11, keepBelow: Math.round(0.7 * 2 ** 32), scale: 1 / 0.7 },
  { seed: 0xfffffffe, stream: 0, step: 0, keepBelow: 2 ** 32 - 1, scale: 1 },
  { seed: 123456789, stream: 17, step: 4000000000, keepBelow: Math.round(0.1 * 2 ** 32), scale: 10 },
];
/** x (B, …, C) for spatial dropout. */
export const DROPOUT_SHAPES: readonly Shape[] = [[1, 1], [1, 1, 1], [3, 5], [2, 7, 3], [4, 9, 39], [2, 5, 13, 39], [64, 3, 39], [3, 4, 1, 6]];

/** logits (B, K). */
export const SOFTMAX_SHAPES: readonly Shape[] = [[1, 1], [1, 7], [3, 7], [64, 7], [5, 3], [2, 13]];

export const ADAM_SHAPES: readonly Shape[] = [[1], [3], [7, 5], [39, 39, 2], [100_003]];
const ADAM_ATTRS: AdamAttrs = { stepSize: 1e-3 * Math.sqrt(1 - 0.999 ** 3) / (1 - 0.9 ** 3), beta1: 0.9, beta2: 0.999, eps: 1e-7 };

/** A target distribution per row (label-smoothed one-hot, rows summing to 1). */
function targetRows(batch: number, classes: number): Float32Array {
  const t = new Float32Array(batch * classes);
  const smoothing = 0.1;
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < classes; c++) t[b * classes + c] = smoothing / classes + (c === (b * 5) % classes ? 1 - smoothing : 0);
  }
  return t;
}

export const trainingChecks = {
  reduceSum: (backend: Backend, { shape, attrs }: ReduceCase, withAddend: boolean): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const yShape = [...shape.slice(0, attrs.axis), ...shape.slice(attrs.axis + attrs.count)];
      const like = pair(backend, shape, 1, 'like');
      const dy = pair(backend, yShape, 2, 'dy');
      const addend = withAddend ? pair(backend, shape, 3, 'addend') : undefined;
      const got = backend.reduceSum.backward(dy.got, like.got, attrs, addend?.got);
      const ref = referenceTraining.reduceSum.backward(dy.ref, like.ref, attrs, addend?.ref);
      return [await compare(backend, 'reduceSum.backward dx', got, ref, ELEMENTWISE)];
    }),

  relu: (backend: Backend, shape: Shape): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const [dy, y] = [pair(backend, shape, 1, 'dy'), pair(backend, shape, 2, 'y')];
      return [await compare(backend, 'relu.backward dx', backend.relu.backward(dy.got, y.got), referenceTraining.relu.backward(dy.ref, y.ref), 0)];
    }),

  sigmoid: (backend: Backend, shape: Shape): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const [dy, y] = [pair(backend, shape, 1, 'dy'), pair(backend, shape, 2, 'y', 0, 1)];
      return [await compare(backend, 'sigmoid.backward dx', backend.sigmoid.backward(dy.got, y.got), referenceTraining.sigmoid.backward(dy.ref, y.ref), ELEMENTWISE)];
    }),

  mul: (backend: Backend, { a: aShape, broadcast }: MulCase): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const bShape = broadcast ? [aShape[0]!, aShape[aShape.length - 1]!] : aShape;
      const [dy, a, b] = [pair(backend, aShape, 1, 'dy'), pair(backend, aShape, 2, 'a'), pair(backend, bShape, 3, 'b')];
      const got = backend.mul.backwardB(dy.got, a.got, b.got);
      return [await compare(backend, 'mul.backwardB db', got, referenceTraining.mul.backwardB(dy.ref, a.ref, b.ref), broadcast ? SHORT_SUM : ELEMENTWISE)];
    }),

  concatSlice: (backend: Backend, { shape, attrs }: SliceCase): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const x = pair(backend, shape, 1, 'x');
      return [await compare(backend, 'concat.slice y', backend.concat.slice(x.got, attrs), referenceTraining.concat.slice(x.ref, attrs), 0)];
    }),

  weightedSum: (backend: Backend, shape: Shape): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const [batch, n, chans] = [shape[0]!, shape[1]!, shape[2]!];
      const [g, w, dz] = [pair(backend, shape, 1, 'g'), pair(backend, [n], 2, 'w'), pair(backend, [batch, chans], 3, 'dz')];
      return [
        await compare(backend, 'weightedSum.backwardInput dg', backend.weightedSum.backwardInput(dz.got, w.got), referenceTraining.weightedSum.backwardInput(dz.ref, w.ref), ELEMENTWISE),
        await compare(backend, 'weightedSum.backwardWeight dw', backend.weightedSum.backwardWeight(dz.got, g.got), referenceTraining.weightedSum.backwardWeight(dz.ref, g.ref), SHORT_SUM),
      ];
    }),

  dense: (backend: Backend, { x: xShape, w: wShape }: DenseCase): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const yShape = [...xShape.slice(0, -1), wShape[0]!];
      const [x, w, dy] = [pair(backend, xShape, 11, 'x'), pair(backend, wShape, 12, 'w'), pair(backend, yShape, 14, 'dy')];
      return [
        await compare(backend, 'dense.backwardInput dx', backend.dense.backwardInput(dy.got, w.got), referenceTraining.dense.backwardInput(dy.ref, w.ref), SHORT_SUM),
        await compare(backend, 'dense.backwardWeight dw', backend.dense.backwardWeight(dy.got, x.got), referenceTraining.dense.backwardWeight(dy.ref, x.ref), GRADIENT_SUM),
      ];
    }),

  densePerSample: (backend: Backend, xShape: Shape): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const [batch, cin] = [xShape[0]!, xShape[xShape.length - 1]!];
      const yShape = [...xShape.slice(0, -1), 1];
      const [x, w, dy] = [pair(backend, xShape, 31, 'x'), pair(backend, [batch, cin], 32, 'w'), pair(backend, yShape, 34, 'dy')];
      return [
        await compare(backend, 'dense.backwardInputPerSample dx', backend.dense.backwardInputPerSample(dy.got, w.got), referenceTraining.dense.backwardInputPerSample(dy.ref, w.ref), ELEMENTWISE),
        await compare(
          backend, 'dense.backwardWeightPerSample dw',
          backend.dense.backwardWeightPerSample(dy.got, x.got, w.got), referenceTraining.dense.backwardWeightPerSample(dy.ref, x.ref, w.ref), GRADIENT_SUM,
        ),
      ];
    }),

  conv2d: (backend: Backend, { x: xShape, chans, kernel }: Conv2dCase): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const x = pair(backend, xShape, 1, 'x');
      const w = pair(backend, [chans, 1, kernel.kh, kernel.kw], 2, 'w');
      const dy = pair(backend, [...xShape, chans], 4, 'dy');
      return [
        await compare(backend, 'conv2d.backwardInput dx', backend.conv2d.backwardInput(dy.got, w.got, kernel), referenceTraining.conv2d.backwardInput(dy.ref, w.ref, kernel), SHORT_SUM),
        await compare(backend, 'conv2d.backwardWeight dw', backend.conv2d.backwardWeight(dy.got, x.got, kernel), referenceTraining.conv2d.backwardWeight(dy.ref, x.ref, kernel), GRADIENT_SUM),
      ];
    }),

  conv1dCausal: (backend: Backend, { batch, time, cin, cout, attrs }: Conv1dCase): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const x = pair(backend, [batch, time, cin], 41, 'x');
      const w = pair(backend, [cout, cin, attrs.taps], 42, 'w');
      const dy = pair(backend, [batch, time, cout], 44, 'dy');
      return [
        await compare(backend, 'conv1dCausal.backwardInput dx', backend.conv1dCausal.backwardInput(dy.got, w.got, attrs), referenceTraining.conv1dCausal.backwardInput(dy.ref, w.ref, attrs), SHORT_SUM),
        await compare(backend, 'conv1dCausal.backwardWeight dw', backend.conv1dCausal.backwardWeight(dy.got, x.got, attrs), referenceTraining.conv1dCausal.backwardWeight(dy.ref, x.ref, attrs), GRADIENT_SUM),
      ];
    }),

  /** forwardTrain (with and without the ReLU-dropout tail), backward, updateRunning; x in [−1, 3). */
  batchNorm: (backend: Backend, shape: Shape): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const chans = [shape[shape.length - 1]!];
      const x = pair(backend, shape, 21, 'x', -1, 3);
      const gamma = pair(backend, chans, 22, 'gamma', 0.5, 1.5);
      const beta = pair(backend, chans, 23, 'beta');
      const dy = pair(backend, shape, 24, 'dy');
      const attrs = { eps: 1e-3 };
      const tail = DROPOUT_ATTRS[0]!;
      const got = backend.batchNorm.forwardTrain(x.got, gamma.got, beta.got, attrs);
      const ref = referenceTraining.batchNorm.forwardTrain(x.ref, gamma.ref, beta.ref, attrs);
      const gotTail = backend.batchNorm.forwardTrain(x.got, gamma.got, beta.got, attrs, tail);
      const refTail = referenceTraining.batchNorm.forwardTrain(x.ref, gamma.ref, beta.ref, attrs, tail);
      const gotB = backend.batchNorm.backward(dy.got, x.got, gamma.got, got.mean, got.variance, attrs);
      const refB = referenceTraining.batchNorm.backward(dy.ref, x.ref, gamma.ref, ref.mean, ref.variance, attrs);
      const [rm, rv] = [pair(backend, chans, 25, 'runningMean'), pair(backend, chans, 26, 'runningVar', 0.5, 2)];
      const running = { momentum: 0.99, varianceScale: 1.25 };
      backend.batchNorm.updateRunning(rm.got, rv.got, got.mean, got.variance, running);
      referenceTraining.batchNorm.updateRunning(rm.ref, rv.ref, ref.mean, ref.variance, running);
      return [
        await compare(backend, 'batchNorm.forwardTrain y', got.y, ref.y, SHORT_SUM),
        await compare(backend, 'batchNorm.forwardTrain mean', got.mean, ref.mean, SHORT_SUM),
        await compare(backend, 'batchNorm.forwardTrain variance', got.variance, ref.variance, SHORT_SUM),
        await compare(backend, 'batchNorm.forwardTrain+tail y', gotTail.y, refTail.y, SHORT_SUM),
        await compare(backend, 'batchNorm.backward dx', gotB.dx, refB.dx, GRADIENT_SUM),
        await compare(backend, 'batchNorm.backward dgamma', gotB.dgamma, refB.dgamma, GRADIENT_SUM),
        await compare(backend, 'batchNorm.backward dbeta', gotB.dbeta, refB.dbeta, GRADIENT_SUM),
        await compare(backend, 'batchNorm.updateRunning runningMean', rm.got, rm.ref, ELEMENTWISE),
        await compare(backend, 'batchNorm.updateRunning runningVar', rv.got, rv.ref, ELEMENTWISE),
      ];
    }),

  /** forward and reluForward exactly (same mask, one product), reluBackward of reluForward's y. */
  spatialDropout: (backend: Backend, shape: Shape, attrs: DropoutAttrs): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const [x, dy] = [pair(backend, shape, 1, 'x'), pair(backend, shape, 2, 'dy')];
      const y = backend.spatialDropout.reluForward(x.got, attrs);
      const yRef = referenceTraining.spatialDropout.reluForward(x.ref, attrs);
      return [
        await compare(backend, 'spatialDropout.forward y', backend.spatialDropout.forward(x.got, attrs), referenceTraining.spatialDropout.forward(x.ref, attrs), ELEMENTWISE),
        await compare(backend, 'spatialDropout.reluForward y', y, yRef, ELEMENTWISE),
        await compare(backend, 'spatialDropout.reluBackward dx', backend.spatialDropout.reluBackward(dy.got, y, attrs), referenceTraining.spatialDropout.reluBackward(dy.ref, yRef, attrs), ELEMENTWISE),
      ];
    }),

  /** Logits in [−8, 8), a smoothed one-hot target, dloss 1.5. */
  softmaxCrossEntropy: (backend: Backend, shape: Shape): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const [batch, classes] = [shape[0]!, shape[1]!];
      const logits = pair(backend, shape, 1, 'logits', -8, 8);
      const t = targetRows(batch, classes);
      const target = { got: backend.upload(t, shape, 'target', { transient: true }), ref: reference.upload(t, shape, 'target') };
      const dloss = { got: backend.upload([1.5], [1], 'dloss', { transient: true }), ref: reference.upload([1.5], [1], 'dloss') };
      const got = backend.softmaxCrossEntropy.forward(logits.got, target.got);
      const ref = referenceTraining.softmaxCrossEntropy.forward(logits.ref, target.ref);
      return [
        await compare(backend, 'softmaxCrossEntropy.forward loss', got.loss, ref.loss, ELEMENTWISE),
        await compare(backend, 'softmaxCrossEntropy.forward probs', got.probs, ref.probs, ELEMENTWISE),
        await compare(
          backend, 'softmaxCrossEntropy.backward dlogits',
          backend.softmaxCrossEntropy.backward(dloss.got, got.probs, target.got), referenceTraining.softmaxCrossEntropy.backward(dloss.ref, ref.probs, target.ref), ELEMENTWISE,
        ),
      ];
    }),

  /** Two steps in place (moments carried), param, m, v compared; v ≥ 0 as Adam keeps it. */
  adam: (backend: Backend, shape: Shape): Promise<ParityCheck[]> =>
    step(backend, async () => {
      const [p, g, m, v] = [pair(backend, shape, 1, 'param'), pair(backend, shape, 2, 'grad', -1e-3, 1e-3), pair(backend, shape, 3, 'm', -1e-3, 1e-3), pair(backend, shape, 4, 'v', 0, 1e-6)];
      for (let i = 0; i < 2; i++) {
        backend.adam.step(p.got, g.got, m.got, v.got, ADAM_ATTRS);
        referenceTraining.adam.step(p.ref, g.ref, m.ref, v.ref, ADAM_ATTRS);
      }
      return [
        await compare(backend, 'adam.step param', p.got, p.ref, ELEMENTWISE),
        await compare(backend, 'adam.step m', m.got, m.ref, ELEMENTWISE),
        await compare(backend, 'adam.step v', v.got, v.ref, ELEMENTWISE),
      ];
    }),
};
