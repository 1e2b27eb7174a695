import type { Conv1dAttrs, FusedInferenceBackend } from '../runtime/backend.ts';
import type { Graph } from '../runtime/graph.ts';
import type { OpDef } from '../runtime/op.ts';
import { expectDim, expectRank, expectShape, paddedToVec4 } from '../runtime/shape.ts';
import type { Shape, Tensor } from '../runtime/tensor.ts';

/**
 * tab-inference (inference only, fused): one temporal-aware block of both directions with BatchNorm folded into
 * its causal convs, in two dispatches (first: conv1 + ReLU; second: conv2 + ReLU, the sigmoid gate on the block's
 * input, and the result into the stack the time pool reads), and the pool itself (mean over time of fwd + bwd,
 * learned weighted sum over blocks). See FusedInferenceKernels.tabInference.
 */
function expectConv(op: string, h: Shape, w: Shape, b: Shape, { taps }: Conv1dAttrs): void {
  expectRank(op, 'h', h, 3);
  const chans = h[2]!;
  expectShape(op, 'w', w, [2, taps, chans, paddedToVec4(chans)]);
  expectShape(op, 'b', b, [2, chans]);
}

/** h (2B, T, C), w packed (2, K, C, 4⌈C/4⌉), b (2, C) → a (2B, T, C). */
export const tabFirstOp: OpDef<Conv1dAttrs, FusedInferenceBackend> = {
  name: 'tab-inference',
  shape: ([h, w, b], attrs) => {
    expectConv('tab-inference.first', h!, w!, b!, attrs);
    return h!;
  },
  forward: (k, [h, w, b], a) => ({ out: k.tabInference.first(h!, w!, b!, a) }),
};

/** a, w, b as first, h (2B, T, C), stack (blocks, 2B, T, C), written at `block` → out (2B, T, C). */
export const tabSecondOp: OpDef<Conv1dAttrs & { readonly block: number }, FusedInferenceBackend> = {
  name: 'tab-inference',
  shape: ([a, w, b, h, stack], attrs) => {
    const op = 'tab-inference.second';
    expectConv(op, a!, w!, b!, attrs);
    expectShape(op, 'h', h!, a!);
    expectRank(op, 'stack', stack!, 4);
    expectShape(op, 'stack', stack!.slice(1), a!);
    if (!(attrs.block >= 0 && attrs.block < stack![0]!)) expectDim(op, 'stack', stack!, 0, attrs.block + 1, 'blocks (more than block)');
    return a!;
  },
  forward: (k, [a, w, b, h, stack], attrs) => ({ out: k.tabInference.second(a!, w!, b!, h!, stack!, attrs) }),
};

/** stack (blocks, 2B, T, C), wsum (blocks) → z (B, C). */
export const tabPoolOp: OpDef<Record<string, never>, FusedInferenceBackend> = {
  name: 'tab-inference',
  shape: ([stack, wsum]) => {
    const op = 'tab-inference.pool';
    expectRank(op, 'stack', stack!, 4);
    expectShape(op, 'wsum', wsum!, [stack![0]!]);
    return [stack![1]! / 2, stack![3]!];
  },
  forward: (k, [stack, wsum]) => ({ out: k.tabInference.pool(stack!, wsum!) }),
};

/** The stack for `blocks` TABs of activations like h (2B, T, C): (blocks, 2B, T, C), filled by tabInference. */
export function tabStack(graph: Graph<FusedInferenceBackend>, h: Tensor, blocks: number): Tensor {
  return graph.backend.tabInference.stack(h, { blocks });
}

/**
 * TAB number `block` (dilation `dilation`) of both directions on h: returns its output, the next block's input, and
 * writes it into stack[block].
 */
export function tabInference(
  graph: Graph<FusedInferenceBackend>,
  h: Tensor,
  conv1: { readonly w: Tensor; readonly b: Tensor },
  conv2: { readonly w: Tensor; readonly b: Tensor },
  stack: Tensor,
  attrs: Conv1dAttrs & { readonly block: number },
): Tensor {
  const a = graph.apply(tabFirstOp, [h, conv1.w, conv1.b], attrs).out;
  const out = graph.apply(tabSecondOp, [a, conv2.w, conv2.b, h, stack], attrs).out;
  graph.backend.release(a);
  return out;
}

export function tabPool(graph: Graph<FusedInferenceBackend>, stack: Tensor, wsum: Tensor): Tensor {
  return graph.apply(tabPoolOp, [stack, wsum], {}).out;
}
