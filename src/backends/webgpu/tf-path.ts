import { invariant } from '../../errors.ts';
import type { FusedInferenceKernels, TfPathAttrs } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import { packParams, type ParamsFields, type ParamsValues } from './params.ts';
import { seGate } from './se-gate.ts';
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

/** Pixels per tile along frequency: `SPAN` in shaders/tf-path.wgsl, and the side of the pixel blocks the squeeze sums. */
const SPAN = 8;

function shapeParams(x: readonly number[], chans: number, { kernels }: TfPathAttrs): Omit<ParamsValues<typeof params>, 'total'> {
  invariant(kernels.length === PATHS, `tf-path: ${kernels.length} paths; shaders/tf-path.wgsl handles ${PATHS}`);
  const [[kh0, kw0], [kh1, kw1], [kh2, kw2]] = kernels as [[number, number], [number, number], [number, number]];
  return { batch: x[0]!, time: x[1]!, freq: x[2]!, chans, kh0, kw0, kh1, kw1, kh2, kw2 };
}

/**
 * tf-path on GPU tensors: three dispatches (four with se-gate's squeeze), both directions each, the paths recomputed
 * by each consumer (see the WGSL header): tf-path.squeeze sums them over SPAN × SPAN pixel blocks (2B, ⌈T/SPAN⌉,
 * ⌈F/SPAN⌉, C), se-gate turns those sums into the gate (2B, C), tf-path.collapse dots the paths with it.
 */
export function tfPathInference(g: GpuTensors): FusedInferenceKernels['tfPath'] {
  const dispatches = tfPathDispatches(g);
  return {
    forward(x, w, b, se, attrs) {
      const [time, freq] = [x.shape[1]!, x.shape[2]!];
      const partial = dispatches.squeeze(x, w, b, attrs);
      const gate = seGate(g, partial, se, 1 / (time * freq * attrs.kernels.length));
      g.release(partial);
      const cat = dispatches.collapse(x, w, b, gate, se.gateBias, attrs);
      g.release(gate);
      return cat;
    },
  };
}

/** The two tf-path dispatches: the squeeze's block sums, the collapse given the gate. */
function tfPathDispatches(g: GpuTensors) {
  return {
    squeeze(x: Tensor, w: Tensor, b: Tensor, attrs: TfPathAttrs): Tensor {
      const s = shapeParams(x.shape, b.shape[2]!, attrs);
      const [tBlocks, fBlocks] = [Math.ceil(s.time / SPAN), Math.ceil(s.freq / SPAN)];
      const partial = g.output([2 * s.batch, tBlocks, fBlocks, s.chans], 'tf-path.rowSums');
      const total = 2 * s.batch * tBlocks * fBlocks * Math.ceil(s.chans / TILE);
      g.run('tf-path', 'squeeze', packParams(params, { ...s, total }), [x, w, b, partial], total);
      return partial;
    },
    collapse(x: Tensor, w: Tensor, b: Tensor, gate: Tensor, gateBias: Tensor, attrs: TfPathAttrs): Tensor {
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
