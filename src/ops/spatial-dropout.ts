import { ShapeError } from '../errors.ts';
import type { DropoutAttrs } from '../runtime/backend.ts';
import { defineOp } from '../runtime/op.ts';
import { expectInteger } from '../runtime/shape.ts';
import type { Tape } from '../runtime/tape.ts';
import type { Tensor } from '../runtime/tensor.ts';

/**
 * Keras SpatialDropout1D/2D: x (B, …, C), one keep/drop per sample and channel from a counter-based hash, kept
 * values scaled by 1/(1 − rate). The mask is a pure function of (seed, stream, step, b, c), so backward
 * recomputes it instead of saving it: dx = the same kernel applied to dy.
 */
export const spatialDropoutOp = defineOp<DropoutAttrs>({
  name: 'spatial-dropout',
  shape: ([x]) => {
    if (x!.length < 2) throw new ShapeError(`spatial-dropout: x needs a batch and a channel axis, got rank ${x!.length}`);
    return x!;
  },
  forward: (k, [x], a) => ({ out: k.spatialDropout.forward(x!, a) }),
  backward: (k, dy, _node, a) => [k.spatialDropout.forward(dy, a)],
});

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
export function spatialDropout(tape: Tape, x: Tensor, { rate, seed, stream, step }: DropoutSite): Tensor {
  if (!(rate >= 0 && rate < 1)) throw new ShapeError(`spatial-dropout: rate must be in [0, 1), got ${rate}`);
  for (const [name, value] of [['seed', seed], ['stream', stream], ['step', step]] as const) {
    expectInteger('spatial-dropout', name, value, 0);
    if (value >= 2 ** 32) throw new ShapeError(`spatial-dropout: ${name} must fit in a u32, got ${value}`);
  }
  if (rate === 0) return x;
  const keepBelow = Math.min(2 ** 32 - 1, Math.round((1 - rate) * 2 ** 32));
  return tape.apply(spatialDropoutOp, [x], { seed, stream, step, keepBelow, scale: 1 / (1 - rate) }).out;
}
