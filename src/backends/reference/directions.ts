import { Tensor, numElements, type Shape } from '../../runtime/tensor.ts';
import { concatInference } from './concat.ts';
import { reverseTimeInference } from './reverse-time.ts';
import { storageOf } from './view.ts';

/**
 * Direction stacking for the reference's fused kernels (src/runtime/backend.ts FusedInferenceKernels): they take
 * the direction-stacked tensors apart, run the unfused reference kernels on each direction, and stack the results.
 */

/** Direction d (0 fwd, 1 bwd) of a per-direction tensor (2, …), `count` elements from `offset` within it, as `shape`. */
export function weightsOf(op: string, name: string, t: Tensor, d: number, shape: Shape, offset = 0): Tensor {
  const data = storageOf(op, name, t);
  const row = data.length / 2;
  const start = d * row + offset;
  const count = numElements(shape);
  if (t.shape[0] !== 2 || offset + count > row) throw new RangeError(`${op}: ${name} (${t.shape.join(', ')}) has no direction ${d} slice [${offset}, ${offset + count})`);
  return new Tensor(shape, data.slice(start, start + count));
}

/** Direction d's samples (B, …) of a direction-stacked tensor (2B, …). */
export function samplesOf(op: string, name: string, t: Tensor, d: number): Tensor {
  const data = storageOf(op, name, t);
  const batch = t.shape[0]! / 2;
  if (!Number.isInteger(batch)) throw new RangeError(`${op}: ${name} (${t.shape.join(', ')}) is not direction-stacked`);
  const size = data.length / 2;
  return new Tensor([batch, ...t.shape.slice(1)], data.slice(d * size, (d + 1) * size));
}

/** The input of direction d: x itself (fwd) or x reversed in time (bwd). */
export function directionInput(x: Tensor, d: number): Tensor {
  return d === 0 ? x : reverseTimeInference.forward(x);
}

/** (2B, …) from each direction's (B, …), fwd first. */
export function stackDirections(fwd: Tensor, bwd: Tensor): Tensor {
  return concatInference.forward([fwd, bwd], { axis: 0 });
}

/** Runs `perDirection` for d = 0, 1 and stacks the results. */
export function eachDirection(perDirection: (d: number) => Tensor): Tensor {
  return stackDirections(perDirection(0), perDirection(1));
}
