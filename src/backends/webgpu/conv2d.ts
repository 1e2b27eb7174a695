import type { Conv2dAttrs, Kernels } from '../../runtime/backend.ts';
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
  ['rowsPerChunk', 'u32'],
  ['chunks', 'u32'],
  ['total', 'u32'],
] as const satisfies ParamsFields;

/** Channels (and backwardWeight taps) per register tile: `TILE` in shaders/conv2d.wgsl. */
const TILE = 4;

/** forward: pixels per tile along the slide axis: `SPAN` in shaders/conv2d.wgsl. */
const SPAN = 8;

const tilesOf = (count: number, side = TILE): number => Math.ceil(count / side);

/** Params for an image (B, T, F) with C channels; chunking and total filled in per entry point. */
function shapeParams(
  [batch, time, freq]: readonly number[],
  chans: number,
  { kh, kw }: Conv2dAttrs,
): Omit<ParamsValues<typeof params>, 'rowsPerChunk' | 'chunks' | 'total'> {
  return { batch: batch!, time: time!, freq: freq!, chans, kh, kw };
}

/**
 * The conv2d family of the Backend interface (src/runtime/backend.ts) on GPU tensors: one input channel,
 * x (B, T, F), w (C, 1, KH, KW), b (C) → y (B, T, F, C), TF 'same' zero padding.
 */
export function conv2dKernels(g: GpuTensors): Kernels['conv2d'] {
  const run = (entry: string, values: ParamsValues<typeof params>, tensors: readonly Tensor[]): void =>
    g.run('conv2d', entry, packParams(params, values), tensors, values.total);
  return {
    forward(x, w, b, attrs) {
      const chans = w.shape[0]!;
      const y = g.output([...x.shape, chans], 'conv2d.y');
      const s = shapeParams(x.shape, chans, attrs);
      // The tile spans SPAN pixels along the axis of the longer kernel extent (slideAxis in the WGSL).
      const [slide, across] = attrs.kh > attrs.kw ? [s.time, s.freq] : [s.freq, s.time];
      const total = s.batch * tilesOf(slide, SPAN) * across * tilesOf(chans);
      run('forward', { ...s, rowsPerChunk: 0, chunks: 0, total }, [x, w, b, y]);
      return y;
    },

    backwardInput(dy, w, attrs) {
      const dx = g.output(dy.shape.slice(0, 3), 'conv2d.dx');
      run('backwardInput', { ...shapeParams(dy.shape, dy.shape[3]!, attrs), rowsPerChunk: 0, chunks: 0, total: dx.numElements }, [dy, w, dx]);
      return dx;
    },

    // Two passes: chunk partial sums over (b, t) rows, then dense.wgsl's sumChunks (a single chunk is already dw).
    backwardWeight(dy, x, attrs) {
      const s = shapeParams(dy.shape, dy.shape[3]!, attrs);
      const taps = attrs.kh * attrs.kw;
      const tiles = tilesOf(s.chans) * tilesOf(taps);
      const { rowsPerChunk, chunks } = chunkRows(s.batch * s.time, tiles);
      const dwShape = [s.chans, 1, attrs.kh, attrs.kw];
      const single = chunks === 1;
      const partial = g.output(single ? dwShape : [chunks, s.chans, taps], single ? 'conv2d.dw' : 'conv2d.dwPartial');
      run('backwardWeightPartial', { ...s, rowsPerChunk, chunks, total: chunks * tiles }, [dy, x, partial]);
      return single ? partial : sumChunks(g, partial, dwShape, 'conv2d.dw');
    },
  };
}
