import { invariant } from '../../errors.ts';
import { TF_PATH_SPAN, type FusedInferenceKernels, type TfPathAttrs } from '../../runtime/backend.ts';
import { packParams, type ParamsFields, type ParamsValues } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/tf-path.wgsl, field for field. */
export const params = [
  ['batch', 'u32'],
  ['time', 'u32'],
  ['freq', 'u32'],
  ['chans', 'u32'],
  ['kh0', 'u32'],
  ['kw0', 'u32'],
  ['kh1', 'u32'],
  ['kw1', 'u32'],
  ['kh2', 'u32'],
  ['kw2', 'u32'],
  ['total', 'u32'],
] as const satisfies ParamsFields;

/** Paths the shader handles: `PATHS` in shaders/tf-path.wgsl. */
const PATHS = 3;

/** Channels per squeeze invocation (one vec4 of sums). */
const TILE = 4;

/** Pixels per tile along frequency: `SPAN` in shaders/tf-path.wgsl (and the squeeze's span, tfPathSpans). */
const SPAN = TF_PATH_SPAN;

function shapeParams(x: readonly number[], chans: number, { kernels }: TfPathAttrs): Omit<ParamsValues<typeof params>, 'total'> {
  invariant(kernels.length === PATHS, `tf-path: ${kernels.length} paths; shaders/tf-path.wgsl handles ${PATHS}`);
  const [[kh0, kw0], [kh1, kw1], [kh2, kw2]] = kernels as [[number, number], [number, number], [number, number]];
  return { batch: x[0]!, time: x[1]!, freq: x[2]!, chans, kh0, kw0, kh1, kw1, kh2, kw2 };
}

/** tf-path on GPU tensors: both directions per dispatch, the paths recomputed by each consumer (see the WGSL header). */
export function tfPathInference(g: GpuTensors): FusedInferenceKernels['tfPath'] {
  return {
    squeeze(x, w, b, attrs) {
      const s = shapeParams(x.shape, b.shape[2]!, attrs);
      const [tBlocks, fBlocks] = [Math.ceil(s.time / SPAN), Math.ceil(s.freq / SPAN)];
      const partial = g.output([2 * s.batch, tBlocks, fBlocks, s.chans], 'tf-path.rowSums');
      const total = 2 * s.batch * tBlocks * fBlocks * Math.ceil(s.chans / TILE);
      g.run('tf-path', 'squeeze', packParams(params, { ...s, total }), [x, w, b, partial], total);
      return partial;
    },
    collapse(x, w, b, gate, gateBias, attrs) {
      const s = shapeParams(x.shape, b.shape[2]!, attrs);
      const cat = g.output([2 * s.batch, s.time, (PATHS + 1) * s.freq], 'tf-path.cat');
      // Tiles per sample: SPAN pixels along each path's slide axis (tilesOf in the WGSL); the skip part like 1×9.
      const alongFreq = s.time * Math.ceil(s.freq / SPAN);
      const tiles = attrs.kernels.reduce((sum, [kh, kw]) => sum + (kh > kw ? Math.ceil(s.time / SPAN) * s.freq : alongFreq), alongFreq);
      const total = 2 * s.batch * tiles;
      g.run('tf-path', 'collapse', packParams(params, { ...s, total }), [x, w, b, gate, gateBias, cat], total);
      return cat;
    },
  };
}
