import { invariant } from '../../errors.ts';
import { TF_PATH_SPAN, type FusedInferenceKernels, type TfPathAttrs } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import type { WasmTensors } from './tensors.ts';

/** Paths the kernels handle: `PATHS` in kernels/network/tf-path.ts. */
const PATHS = 3;

/** The kernels' shape arguments: B, then T, F, C and (KH, KW) of each path (tfPathScratchBytes's arguments). */
type ShapeArgs = [batch: number, time: number, freq: number, chans: number, kh0: number, kw0: number, kh1: number, kw1: number, kh2: number, kw2: number];

function shapeArgs(x: Tensor, b: Tensor, { kernels }: TfPathAttrs): ShapeArgs {
  invariant(kernels.length === PATHS, `tf-path: ${kernels.length} paths; kernels/network/tf-path.ts handles ${PATHS}`);
  const [[kh0, kw0], [kh1, kw1], [kh2, kw2]] = kernels as [[number, number], [number, number], [number, number]];
  return [x.shape[0]!, x.shape[1]!, x.shape[2]!, b.shape[2]!, kh0, kw0, kh1, kw1, kh2, kw2];
}

/**
 * The tf-path family on wasm tensors (kernels/network/tf-path.ts): the paths recomputed by each consumer, the
 * direction-stacked samples split over the threads, each range with its own scratch (a padded image, then the quad
 * sums or a chunk of gated partial sums).
 */
export function tfPathInference(w: WasmTensors): FusedInferenceKernels['tfPath'] {
  const k = w.kernels;
  const scratchBytes = ([, ...sizes]: ShapeArgs) => () => k.tfPathScratchBytes(...sizes);
  return {
    squeeze(x, weight, b, attrs) {
      const shape = shapeArgs(x, b, attrs);
      const [batch, time, freq, chans] = shape;
      const partial = w.output([2 * batch, Math.ceil(time / TF_PATH_SPAN), Math.ceil(freq / TF_PATH_SPAN), chans], 'tf-path.rowSums');
      w.parallel('tfPathSqueeze', 2 * batch, scratchBytes(shape), (lo, hi, scratch) => [w.ptr(x), w.ptr(weight), w.ptr(b), w.ptr(partial), scratch, lo, hi, ...shape]);
      return partial;
    },
    collapse(x, weight, b, gate, gateBias, attrs) {
      const shape = shapeArgs(x, b, attrs);
      const [batch, time, freq] = shape;
      const cat = w.output([2 * batch, time, (PATHS + 1) * freq], 'tf-path.cat');
      w.parallel('tfPathCollapse', 2 * batch, scratchBytes(shape), (lo, hi, scratch) => [
        w.ptr(x), w.ptr(weight), w.ptr(b), w.ptr(gate), w.ptr(gateBias), w.ptr(cat), scratch, lo, hi, ...shape,
      ]);
      return cat;
    },
  };
}
