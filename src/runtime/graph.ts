import type { Backend, InferenceBackend } from './backend.ts';
import { runOp, type Forward, type OpDef } from './op.ts';
import type { Tensor } from './tensor.ts';

/**
 * Where a model's ops run: a `ForwardPass` runs them and keeps nothing (inference), a `Tape` also records them for
 * backward (training). Layers are written against this, so the same network code serves both, and a bundle that
 * only runs models never contains the tape.
 */
export interface Graph<K extends InferenceBackend = InferenceBackend> {
  readonly backend: K;
  /** Runs one op: contract, forward kernels (and, on a tape, a node for backward). */
  apply<A>(op: OpDef<A, K>, inputs: readonly Tensor[], attrs: A): Forward;
}

/** A graph that trains: its backend has the training kernels (batch statistics, dropout, the loss). */
export type TrainingGraph = Graph<Backend>;

/** Inference: each op runs as it is applied; nothing is kept for a backward pass. */
export class ForwardPass<K extends InferenceBackend = InferenceBackend> implements Graph<K> {
  constructor(readonly backend: K) {}

  apply<A>(op: OpDef<A, K>, inputs: readonly Tensor[], attrs: A): Forward {
    return runOp(this.backend, op, inputs, attrs);
  }
}
