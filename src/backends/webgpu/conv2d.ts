import type { Conv2dAttrs, InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import { chunkRows, sumChunks } from './dense.ts';
import { packParams, type ParamsFields, type ParamsValues } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/conv2d.wgsl, field for field. */
export const params = [
  ['batch', 'u32'],
  ['time', 'u32'],
  ['freq', 'u32'],
  ['chans', 'u32'],
  ['kh', 'u32'],
  ['kw', 'u32'],
  ['bandsPerChunk', 'u32'],
  ['chunks', 'u32'],
  ['total', 'u32'],
] as const satisfies ParamsFields;

/** Channels per register tile, and taps per backwardWeight window: `TILE` in shaders/conv2d.wgsl. */
const TILE = 4;

/** backwardWeightPartial: windows of TILE taps per invocation: `WINDOWS` in shaders/conv2d.wgsl. */
const WINDOWS = 3;

/** backwardWeightPartial: pixels per step along the slide axis: `BLOCK` in shaders/conv2d.wgsl. */
const BLOCK = 4;

/** forward: pixels per tile along the slide axis: `SPAN` in shaders/conv2d.wgsl. */
const SPAN = 8;

const tilesOf = (count: number, side = TILE): number => Math.ceil(count / side);

/** Params for an image (B, T, F) with C channels; chunking and total filled in per entry point. */
function shapeParams(
  [batch, time, freq]: readonly number[],
  chans: number,
  { kh, kw }: Conv2dAttrs,
): Omit<ParamsValues<typeof params>, 'bandsPerChunk' | 'chunks' | 'total'> {
  return { batch: batch!, time: time!, freq: freq!, chans, kh, kw };
}

/**
 * The image axis forward's tile and backwardWeight's windows slide along, the one of the longer kernel extent
 * (time for 11×1, frequency for 1×9 and 3×3: slidesAlongTime and slideAxis in the WGSL), and the other one:
 * lengths in pixels and kernel taps.
 */
function slideAndAcross(time: number, freq: number, { kh, kw }: Conv2dAttrs) {
  const alongTime = kh > kw;
  return alongTime
    ? { alongTime, slide: { length: time, taps: kh }, across: { length: freq, taps: kw } }
    : { alongTime, slide: { length: freq, taps: kw }, across: { length: time, taps: kh } };
}

function run(g: GpuTensors, entry: string, values: ParamsValues<typeof params>, tensors: readonly Tensor[]): void {
  g.run('conv2d', entry, packParams(params, values), tensors, values.total);
}

/**
 * The conv2d family of the Backend interface (src/runtime/backend.ts) on GPU tensors: one input channel,
 * x (B, T, F), w (C, 1, KH, KW), b (C) → y (B, T, F, C), TF 'same' zero padding.
 */
export function conv2dInference(g: GpuTensors): InferenceKernels['conv2d'] {
  return {
    forward(x, w, b, attrs) {
      const chans = w.shape[0]!;
      const y = g.output([...x.shape, chans], 'conv2d.y');
      const s = shapeParams(x.shape, chans, attrs);
      const { slide, across } = slideAndAcross(s.time, s.freq, attrs);
      const total = s.batch * tilesOf(slide.length, SPAN) * across.length * tilesOf(chans);
      run(g, 'forward', { ...s, bandsPerChunk: 0, chunks: 0, total }, [x, w, b, y]);
      return y;
    },
  };
}

export function conv2dTraining(g: GpuTensors): TrainingKernels['conv2d'] {
  return {
    backwardInput(dy, w, attrs) {
      const dx = g.output(dy.shape.slice(0, 3), 'conv2d.dx');
      run(g, 'backwardInput', { ...shapeParams(dy.shape, dy.shape[3]!, attrs), bandsPerChunk: 0, chunks: 0, total: dx.numElements }, [dy, w, dx]);
      return dx;
    },

    // Two passes: partial sums over chunks of whole bands (see the WGSL header: 4 time rows for 11×1, one row
    // for 1×9 and 3×3), then dense.wgsl's sumChunks (a single chunk is already dw). chunkRows sizes chunks in
    // pixels, the terms of the sum; invocations per chunk: channel tiles × tap tiles of WINDOWS windows each.
    backwardWeight(dy, x, attrs) {
      const s = shapeParams(dy.shape, dy.shape[3]!, attrs);
      const { alongTime, slide, across } = slideAndAcross(s.time, s.freq, attrs);
      const tiles = tilesOf(s.chans) * Math.ceil((across.taps * tilesOf(slide.taps)) / WINDOWS);
      const bands = s.batch * (alongTime ? tilesOf(s.time, BLOCK) : s.time);
      const pixelsPerBand = alongTime ? BLOCK * s.freq : s.freq;
      const pixelsPerChunk = chunkRows(bands * pixelsPerBand, tiles).rowsPerChunk;
      const bandsPerChunk = Math.ceil(pixelsPerChunk / pixelsPerBand);
      const chunks = Math.ceil(bands / bandsPerChunk);
      const dwShape = [s.chans, 1, attrs.kh, attrs.kw];
      const single = chunks === 1;
      const partial = g.output(single ? dwShape : [chunks, s.chans, attrs.kh * attrs.kw], single ? 'conv2d.dw' : 'conv2d.dwPartial');
      run(g, 'backwardWeightPartial', { ...s, bandsPerChunk, chunks, total: chunks * tiles }, [dy, x, partial]);
      return single ? partial : sumChunks(g, partial, dwShape, 'conv2d.dw');
    },
  };
}
