import { invariant } from '../errors.ts';
import type { Backend, InferenceBackend } from './backend.ts';
import { formatShape, sameShape, type Shape, type Tensor } from './tensor.ts';

/** What an op's forward returns: its one differentiable output and what its backward needs beyond the inputs. */
export interface Forward {
  readonly out: Tensor;
  readonly saved?: readonly Tensor[];
}

/** What the tape keeps of one op application, handed back to the op's backward. */
export interface Recorded {
  readonly inputs: readonly Tensor[];
  readonly out: Tensor;
  readonly saved: readonly Tensor[];
}

/**
 * One op at graph level (src/ops/<family>.ts): its shape contract and its forward as kernel calls. `K` is what the
 * forward needs: the inference kernels for the ops a model runs, the whole Backend for training-only ops (batch
 * statistics, dropout, the loss). Its backward is a `Gradient` beside it in the same file, kept apart so that a
 * bundle that only runs models carries no backward code: the Tape finds it through a GradientTable.
 */
export interface OpDef<A, K extends InferenceBackend = InferenceBackend> {
  /** The family's kebab-case name, as in the file names. */
  readonly name: string;
  /** The output shape, or a ShapeError naming the input that breaks the contract. */
  readonly shape: (inputs: readonly Shape[], attrs: A) => Shape;
  readonly forward: (k: K, inputs: readonly Tensor[], attrs: A) => Forward;
}

/**
 * An op's backward as kernel calls. `backward` returns one gradient per input, in input order; it is asked only
 * for the inputs whose `needs` entry is true and returns undefined for the others.
 */
export interface Gradient<A> {
  readonly backward: (k: Backend, dy: Tensor, node: Recorded, attrs: A, needs: readonly boolean[]) => readonly (Tensor | undefined)[];
  /**
   * For a one-input op whose input already has a gradient from later ops (the tape walks backwards): that
   * gradient plus this op's, in one kernel where the backend can fuse the sum. Absent: the tape adds.
   */
  readonly backwardAdding?: (k: Backend, dy: Tensor, node: Recorded, attrs: A, addend: Tensor) => Tensor;
}

/** Each differentiable op's Gradient, by op (src/ops/gradients.ts builds the one msse trains with). */
export type GradientTable = ReadonlyMap<object, Gradient<unknown>>;

/** One row of a GradientTable: an op and its backward, their attrs types checked to match. */
export function gradientOf<A, K extends InferenceBackend>(op: OpDef<A, K>, gradient: Gradient<A>): readonly [object, Gradient<unknown>] {
  return [op, gradient as Gradient<unknown>];
}

/** Runs one op's forward on `k` after its shape contract, and checks the kernel kept the contract's shape. */
export function runOp<A, K extends InferenceBackend>(k: K, op: OpDef<A, K>, inputs: readonly Tensor[], attrs: A): Forward {
  const expected = op.shape(
    inputs.map((t) => t.shape),
    attrs,
  );
  const result = op.forward(k, inputs, attrs);
  invariant(
    sameShape(result.out.shape, expected),
    `${op.name}: kernel returned ${formatShape(result.out.shape)}, the contract says ${formatShape(expected)}`,
  );
  return result;
}
