import { ShapeError } from '../errors.ts';
import type { Backend, DropoutAttrs } from '../runtime/backend.ts';
import type { Gradient, OpDef } from '../runtime/op.ts';
import { expectInteger } from '../runtime/shape.ts';
import type { TrainingGraph } from '../runtime/graph.ts';
import type { Shape, Tensor } from '../runtime/tensor.ts';
import { relu } from './relu.ts';

/**
 * Keras SpatialDropout1D/2D: x (B, …, C), one keep/drop per sample and channel from a counter-based hash, kept
 * values scaled by 1/(1 − rate). The mask is a pure function of (seed, stream, step, b, c), so backward
 * recomputes it instead of saving it: dx = the same kernel applied to dy.
 */
export const spatialDropoutOp: OpDef<DropoutAttrs, Backend> = {
  name: 'spatial-dropout',
  shape: ([x]) => batchAndChannels('spatial-dropout', x!),
  forward: (k, [x], a) => ({ out: k.spatialDropout.forward(x!, a) }),
};

/** The backward of spatialDropoutOp. */
export const spatialDropoutGradient: Gradient<DropoutAttrs> = {
  backward: (k, dy, _node, a) => [k.spatialDropout.forward(dy, a)],
};

/**
 * Spatial dropout of relu(x) in one kernel, the tail of every BN → ReLU → dropout layer: one pass over memory
 * instead of two, forward and backward. Backward needs only the output: y > 0 exactly where the channel was kept
 * and x > 0. Same numbers as relu then spatial-dropout.
 */
export const reluDropoutOp: OpDef<DropoutAttrs, Backend> = {
  name: 'relu-dropout',
  shape: ([x]) => batchAndChannels('relu-dropout', x!),
  forward: (k, [x], a) => ({ out: k.spatialDropout.reluForward(x!, a) }),
};

/** The backward of reluDropoutOp. */
export const reluDropoutGradient: Gradient<DropoutAttrs> = {
  backward: (k, dy, { out }, a) => [k.spatialDropout.reluBackward(dy, out, a)],
};

function batchAndChannels(op: string, x: Shape): Shape {
  if (x.length < 2) throw new ShapeError(`${op}: x needs a batch and a channel axis, got rank ${x.length}`);
  return x;
}

export interface DropoutSite {
  /** Drop probability in [0, 1). */
  readonly rate: number;
  /** u32 run seed. */
  readonly seed: number;
  /** u32 id of this dropout layer within the model. */
  readonly stream: number;
  /** u32 training step. */
  readonly step: number;
}

/** Applies spatial dropout; rate 0 returns x itself (no kernel, no tape node). */
export function spatialDropout(graph: TrainingGraph, x: Tensor, site: DropoutSite): Tensor {
  const attrs = dropoutAttrs('spatial-dropout', site);
  return attrs === undefined ? x : graph.apply(spatialDropoutOp, [x], attrs).out;
}

/** spatialDropout(relu(x)) as one op; rate 0 is relu alone. */
export function reluDropout(graph: TrainingGraph, x: Tensor, site: DropoutSite): Tensor {
  const attrs = dropoutAttrs('relu-dropout', site);
  return attrs === undefined ? relu(graph, x) : graph.apply(reluDropoutOp, [x], attrs).out;
}

/** The kernel attrs of a dropout site, checked (errors name `op`); undefined for rate 0 (no dropout). */
export function dropoutAttrs(op: string, { rate, seed, stream, step }: DropoutSite): DropoutAttrs | undefined {
  if (!(rate >= 0 && rate < 1)) throw new ShapeError(`${op}: rate must be in [0, 1), got ${rate}`);
  for (const [name, value] of [['seed', seed], ['stream', stream], ['step', step]] as const) {
    expectInteger(op, name, value, 0);
    if (value >= 2 ** 32) throw new ShapeError(`${op}: ${name} must fit in a u32, got ${value}`);
  }
  if (rate === 0) return undefined;
  const keepBelow = Math.min(2 ** 32 - 1, Math.round((1 - rate) * 2 ** 32));
  return { seed, stream, step, keepBelow, scale: 1 / (1 - rate) };
}
