import { numElements, type Shape } from '../runtime/tensor.ts';
import type { KernelCall } from './cpu-timing.ts';

/** Floating-point operations (a multiply-add counts 2) and compulsory bytes of one kernel call. */
export interface KernelCost {
  readonly flops: number;
  readonly bytes: number;
}

const last = (shape: Shape | undefined): number => shape?.[shape.length - 1] ?? 0;
const size = (shape: Shape | undefined): number => (shape === undefined ? 0 : numElements(shape));
/** Taps of a Conv2D weight (C, 1, KH, KW): KH·KW. */
const taps = (w: Shape | undefined): number => (w === undefined ? 0 : w.slice(2).reduce((a, b) => a * b, 1));

type Contraction = (inputs: readonly Shape[], outputs: readonly Shape[]) => number;
const denseForward: Contraction = ([x], [y]) => 2 * size(y) * last(x);
const denseBackwardInput: Contraction = ([dy], [dx]) => 2 * size(dx) * last(dy);
const denseBackwardWeight: Contraction = ([dy, x]) => 2 * size(dy) * last(x);
/** The fused TF-path convs: packed w (2, Σ taps, C4), b (2, P, C); every pixel of both directions meets each tap for C channels. */
const tfPathConvs = (x: Shape | undefined, w: Shape | undefined, b: Shape | undefined): number => 2 * 2 * size(x) * w![1]! * last(b);

/**
 * FLOPs of the contractions, by `family.entry`, from the arguments the kernel interface (src/runtime/backend.ts)
 * gives them: Conv1D weights (Cout, Cin, K), the fused kernels' packed (2, …) weights as documented there.
 */
const CONTRACTIONS: Readonly<Record<string, Contraction>> = {
  'conv2d.forward': ([, w], [y]) => 2 * size(y) * taps(w),
  'conv2d.backwardInput': ([dy, w]) => 2 * size(dy) * taps(w),
  'conv2d.backwardWeight': ([dy], [dw]) => 2 * size(dy) * taps(dw),
  'conv1d-causal.forward': ([x, w], [y]) => 2 * size(y) * last(x) * last(w),
  'conv1d-causal.backwardInput': ([dy, w], [dx]) => 2 * size(dx) * last(dy) * last(w),
  'conv1d-causal.backwardWeight': ([dy, x], [dw]) => 2 * size(dy) * last(x) * last(dw),
  'dense.forward': denseForward,
  'dense.forwardPerSample': denseForward,
  'dense.backwardInput': denseBackwardInput,
  'dense.backwardInputPerSample': denseBackwardInput,
  'dense.backwardWeight': denseBackwardWeight,
  'dense.backwardWeightPerSample': denseBackwardWeight,
  'direction-dense.forward': denseForward,
  // The paths once, the gated 1×1 conv (C per path value written) and SE's two Dense layers per stacked sample.
  'tf-path.forward': ([x, w, b], [cat]) => tfPathConvs(x, w, b) + 2 * (size(cat) - 2 * size(x)) * last(b) + 4 * cat![0]! * last(b) ** 2,
  // packed w (2, K, Cin, C4): each output element meets K·Cin weights
  'tab-inference.first': ([, w], [a]) => 2 * size(a) * w![1]! * w![2]!,
  'tab-inference.second': ([, w], [y]) => 2 * size(y) * w![1]! * w![2]!,
};

/**
 * What one kernel call costs on paper, for the profiles of backends timed call by call (cpu-timing.ts): FLOPs and
 * compulsory bytes (each tensor argument and result once, 4 bytes an element; caches and re-reads make real traffic
 * higher). The contractions are counted exactly; other kernels one operation per element of their largest tensor.
 * These are the rules of src/backends/webgpu/cost.ts, which cannot serve here: it reads a WebGPU dispatch's bound
 * buffers (packed Conv1D weights, partial sums of a second dispatch), not a kernel call's arguments.
 */
export function kernelCallCost(call: Pick<KernelCall, 'label' | 'inputs' | 'outputs'>): KernelCost {
  const shapes = [...call.inputs, ...call.outputs];
  const bytes = 4 * shapes.reduce((sum, s) => sum + size(s), 0);
  const contraction = CONTRACTIONS[call.label];
  const flops = contraction === undefined ? Math.max(0, ...shapes.map(size)) : contraction(call.inputs, call.outputs);
  return { flops, bytes };
}
