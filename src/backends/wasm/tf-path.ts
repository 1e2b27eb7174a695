import { invariant } from '../../errors.ts';
import type { FusedInferenceKernels, TfPathAttrs } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import type { WasmTensors } from './tensors.ts';

/** Paths the kernel handles: `PATHS` in kernels/network/tf-path.ts. */
const PATHS = 3;

/** The kernel's shape arguments: B, then T, F, C and (KH, KW) of each path (tfPathScratchBytes's arguments). */
type ShapeArgs = [batch: number, time: number, freq: number, chans: number, kh0: number, kw0: number, kh1: number, kw1: number, kh2: number, kw2: number];

function shapeArgs(x: Tensor, b: Tensor, { kernels }: TfPathAttrs): ShapeArgs {
  invariant(kernels.length === PATHS, `tf-path: ${kernels.length} paths; kernels/network/tf-path.ts handles ${PATHS}`);
  const [[kh0, kw0], [kh1, kw1], [kh2, kw2]] = kernels as [[number, number], [number, number], [number, number]];
  return [x.shape[0]!, x.shape[1]!, x.shape[2]!, b.shape[2]!, kh0, kw0, kh1, kw1, kh2, kw2];
}

/**
 * The tf-path family on wasm tensors (kernels/network/tf-path.ts): per direction-stacked sample the paths once
 * (into the range's scratch, a few MB), the SE squeeze and gate, the gated 1×1 conv; samples split over the
 * threads.
 */
export function tfPathInference(w: WasmTensors): FusedInferenceKernels['tfPath'] {
  const k = w.kernels;
  return {
    forward(x, weight, b, se, attrs) {
      const shape = shapeArgs(x, b, attrs);
      const [batch, time, freq] = shape;
      const cat = w.output([2 * batch, time, (PATHS + 1) * freq], 'tf-path.cat');
      const tensors = [x, weight, b, se.fc1w, se.fc1b, se.fc2w, se.fc2b, se.w1x1, se.gateBias, cat].map((t) => w.ptr(t));
      const [, ...sizes] = shape;
      w.parallel('tfPathForward', 2 * batch, () => k.tfPathScratchBytes(...sizes), (lo, hi, scratch) => [...tensors, scratch, lo, hi, ...shape]);
      return cat;
    },
  };
}
