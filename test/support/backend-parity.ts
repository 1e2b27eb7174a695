import { beforeAll, expect } from 'vitest';
import { referenceInference } from '../../src/backends/reference/inference.ts';
import type { Conv1dAttrs, Conv2dAttrs, InferenceBackend, ReduceAttrs } from '../../src/runtime/backend.ts';
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
 * Everything a check uploads is transient; it ends with releaseTransients.
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
export function useBackend(open: () => Promise<InferenceBackend>): () => InferenceBackend {
  let backend: InferenceBackend | undefined;
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
