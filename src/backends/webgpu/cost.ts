import { numElements, type Shape } from '../../runtime/tensor.ts';

/**
 * What one dispatch costs on paper, for `msse inspect --ops` and the benchmarks: floating-point operations (a
 * multiply-add counts 2) and compulsory bytes (every bound tensor read or written once, 4 bytes an element; caches
 * and re-reads make real traffic higher). Shapes are the bound tensors' in binding order, inputs then outputs, as
 * each src/backends/webgpu/<family>.ts passes them. The contractions are counted exactly; other kernels count one
 * operation per element of their largest tensor, which is the right order for elementwise maps and reductions.
 */
export interface DispatchCost {
  readonly flops: number;
  readonly bytes: number;
}

const last = (shape: Shape | undefined): number => shape?.[shape.length - 1] ?? 0;
const size = (shape: Shape | undefined): number => (shape === undefined ? 0 : numElements(shape));
/** Taps of a conv weight: kh·kw of (C, 1, KH, KW), K of (Cout, Cin, K). */
const taps = (w: Shape | undefined): number => (w === undefined ? 0 : w.slice(2).reduce((a, b) => a * b, 1));

// dense's 4×4-tile and Out = 1 (…Single) entry points bind the same shapes where it matters.
const denseForward = ([x, , , y]: readonly Shape[]): number => 2 * size(y) * last(x);
const denseBackwardInput = ([dy, , dx]: readonly Shape[]): number => 2 * size(dx) * last(dy);
const denseBackwardWeight = ([dy, x]: readonly Shape[]): number => 2 * size(dy) * last(x);

/** FLOPs of the contractions, by `family.entry`; shapes as bound. */
const CONTRACTIONS: Readonly<Record<string, (s: readonly Shape[]) => number>> = {
  'conv2d.forward': ([, w, , y]) => 2 * size(y) * taps(w),
  'conv2d.backwardInput': ([dy, w]) => 2 * size(dy) * taps(w),
  'conv2d.backwardWeightPartial': ([dy, , dw]) => 2 * size(dy) * (dw!.length === 4 ? taps(dw) : last(dw)),
  'dense.forward': denseForward,
  'dense.forwardSingle': denseForward,
  'dense.backwardInput': denseBackwardInput,
  'dense.backwardInputSingle': denseBackwardInput,
  'dense.backwardWeightPartial': denseBackwardWeight,
  'dense.backwardWeightSingle': denseBackwardWeight,
  // forward and backwardInput bind the packed weights (K, …): K taps.
  'conv1d-causal.forward': ([x, packed, , y]) => 2 * size(y) * last(x) * packed![0]!,
  'conv1d-causal.backwardInput': ([dy, packed, dx]) => 2 * size(dx) * last(dy) * packed![0]!,
  // partials (chunks, Cout·Cin·K): each dy element meets Cin·K inputs
  'conv1d-causal.backwardWeight': ([dy, , partials]) => (2 * size(dy) * last(partials)) / last(dy),
  // Fused inference, both directions (2·size(x) pixels). tf-path's packed w (2, Σ taps, C4): every pixel meets
  // each tap of every path for C channels (once per consumer); collapse adds the gated 1×1 conv, C per path value.
  'tf-path.squeeze': ([x, w, b]) => 2 * 2 * size(x) * w![1]! * last(b),
  'tf-path.collapse': ([x, w, b, , , cat]) => 2 * 2 * size(x) * w![1]! * last(b) + 2 * (size(cat) - 2 * size(x)) * last(b),
  'se-gate.forward': ([partial, fc1w, , , , , gate]) => size(partial) + 2 * size(gate) * 2 * last(fc1w),
  'direction-dense.forward': denseForward,
  // packed w (2, K, Cin, C4): each output element meets K·Cin weights
  'tab-inference.first': ([, w, , a]) => 2 * size(a) * w![1]! * w![2]!,
  'tab-inference.second': ([, w, , , y]) => 2 * size(y) * w![1]! * w![2]!,
};

export function dispatchCost(label: string, shapes: readonly Shape[]): DispatchCost {
  const bytes = 4 * shapes.reduce((sum, s) => sum + size(s), 0);
  const contraction = CONTRACTIONS[label];
  const flops = contraction === undefined ? Math.max(0, ...shapes.map(size)) : contraction(shapes);
  return { flops, bytes };
}
