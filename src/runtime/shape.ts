import { ShapeError } from '../errors.ts';
import { formatShape, sameShape, type Shape } from './tensor.ts';

/**
 * Shape-contract checks for op definitions. They run once per op call, before any kernel, and say which input of
 * which op is wrong and what was expected, e.g. `conv1d-causal: w has shape (39, 40, 2), expected 39 on axis 1 (x's channels)`.
 */
export function expectRank(op: string, name: string, shape: Shape, rank: number): void {
  if (shape.length !== rank) {
    throw new ShapeError(`${op}: ${name} has shape ${formatShape(shape)}, expected rank ${rank}`);
  }
}

export function expectDim(op: string, name: string, shape: Shape, axis: number, expected: number, what: string): void {
  if (shape[axis] !== expected) {
    throw new ShapeError(`${op}: ${name} has shape ${formatShape(shape)}, expected ${expected} on axis ${axis} (${what})`);
  }
}

export function expectShape(op: string, name: string, shape: Shape, expected: Shape): void {
  if (!sameShape(shape, expected)) {
    throw new ShapeError(`${op}: ${name} has shape ${formatShape(shape)}, expected ${formatShape(expected)}`);
  }
}

export function expectInteger(op: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ShapeError(`${op}: ${name} must be an integer >= ${min}, got ${value}`);
  }
}

/** n rounded up to a multiple of 4: the padded channel axis of weights packed as vec4s for WGSL (fused kernels). */
export function paddedToVec4(n: number): number {
  return 4 * Math.ceil(n / 4);
}
