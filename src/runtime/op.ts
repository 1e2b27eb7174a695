import type { Backend } from './backend.ts';
import type { Shape, Tensor } from './tensor.ts';

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
 * One op at graph level (src/ops/<family>.ts): its shape contract, its forward as kernel calls, and its backward
 * as kernel calls beside it. `backward` returns one gradient per input, in input order; it is asked only for the
 * inputs whose `needs` entry is true and returns undefined for the others.
 */
export interface OpDef<A> {
  /** The family's kebab-case name, as in the file names. */
  readonly name: string;
  /** The output shape, or a ShapeError naming the input that breaks the contract. */
  readonly shape: (inputs: readonly Shape[], attrs: A) => Shape;
  readonly forward: (k: Backend, inputs: readonly Tensor[], attrs: A) => Forward;
  /** Absent for ops that are never differentiated (inference-only batch norm). */
  readonly backward?: (
    k: Backend,
    dy: Tensor,
    node: Recorded,
    attrs: A,
    needs: readonly boolean[],
  ) => readonly (Tensor | undefined)[];
  /**
   * For a one-input op whose input already has a gradient from later ops (the tape walks backwards): that
   * gradient plus this op's, in one kernel where the backend can fuse the sum. Absent: the tape adds.
   */
  readonly backwardAdding?: (k: Backend, dy: Tensor, node: Recorded, attrs: A, addend: Tensor) => Tensor;
}

/** Identity that fixes the attrs type of an op definition. */
export function defineOp<A>(def: OpDef<A>): OpDef<A> {
  return def;
}
