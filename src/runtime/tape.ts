import { InternalError, invariant } from '../errors.ts';
import type { Backend } from './backend.ts';
import type { TrainingGraph } from './graph.ts';
import { runOp, type Forward, type Gradient, type GradientTable, type OpDef, type Recorded } from './op.ts';
import { StepMemory } from './step-memory.ts';
import { formatShape, sameShape, type Tensor } from './tensor.ts';

interface Node extends Recorded {
  /** The op's name, for messages. */
  readonly name: string;
  readonly gradient: Gradient<unknown>;
  readonly attrs: unknown;
}

export interface BackwardOptions {
  /** Activations whose gradients are returned with the leaves' (to inspect them). */
  readonly retain?: Iterable<Tensor>;
  /**
   * Free each tensor of the step as soon as the walk is done with it (see StepMemory). The loss, the returned
   * gradients and `keep` survive; every other tensor the step made is invalid afterwards. Off: all live until
   * `backend.releaseTransients()`.
   */
  readonly release?: { readonly keep: Iterable<Tensor> };
}

/**
 * Reverse-mode autodiff, micrograd-sized. Every op runs through `apply`, which checks the shape contract, calls the
 * op's forward and, when some input requires a gradient, appends a node. Nodes are appended in
 * execution order, which is a topological order, so `backward` walks them in reverse and each node's output
 * gradient is complete when its turn comes. A tensor that feeds several ops (x feeds both directions and the
 * concat skip; each TAB output feeds the next TAB and the pooled sum) gets the SUM of their gradients: the tape
 * adds them, or, for a one-input op with `backwardAdding`, the op adds its gradient to the one already there.
 */
export class Tape implements TrainingGraph {
  private readonly nodes: Node[] = [];

  /** `gradients` gives each op's backward (src/ops/gradients.ts: OP_GRADIENTS). */
  constructor(
    readonly backend: Backend,
    private readonly gradients: GradientTable,
  ) {}

  /** Runs one op: contract, forward kernels, and a tape node when a gradient may flow through it. */
  apply<A>(op: OpDef<A, Backend>, inputs: readonly Tensor[], attrs: A): Forward {
    const result = runOp(this.backend, op, inputs, attrs);
    if (inputs.some((t) => t.requiresGrad)) {
      const gradient = this.gradients.get(op);
      if (gradient === undefined) throw new InternalError(`${op.name} has no backward; run it in a ForwardPass (inference)`);
      result.out.requiresGrad = true;
      this.nodes.push({ name: op.name, gradient, attrs, inputs, out: result.out, saved: result.saved ?? [] });
    }
    return result;
  }

  /**
   * Back-propagates from a one-element loss (seed dLoss = 1). Returns the gradients of the leaves (tensors that
   * require a gradient but no recorded op produced: the parameters) and of the tensors in `retain` (activations
   * to inspect); other intermediate gradients are dropped once used.
   */
  backward(loss: Tensor, { retain = [], release }: BackwardOptions = {}): Map<Tensor, Tensor> {
    invariant(loss.numElements === 1, `backward needs a one-element loss, got ${formatShape(loss.shape)}`);
    const k = this.backend;
    const keep = new Set(retain);
    const memory = release && new StepMemory(k, this.nodes, [loss, ...keep, ...release.keep]);
    const grads = new Map<Tensor, Tensor>([[loss, k.upload([1], loss.shape, 'dloss', { transient: true })]]);
    for (let n = this.nodes.length - 1; n >= 0; n--) {
      const node = this.nodes[n]!;
      const dy = grads.get(node.out);
      if (dy === undefined) continue;
      if (!keep.has(node.out)) grads.delete(node.out);
      const spent = [dy, ...node.inputs, node.out, ...node.saved];
      const [only] = node.inputs;
      const addend = node.inputs.length === 1 ? grads.get(only!) : undefined;
      if (addend !== undefined && node.gradient.backwardAdding !== undefined) {
        const g = node.gradient.backwardAdding(k, dy, node, node.attrs, addend);
        checkGradientShape(node, 0, g);
        grads.set(only!, g);
        spent.push(addend);
        memory?.release(n, spent, grads.values());
        continue;
      }
      const needs = node.inputs.map((t) => t.requiresGrad);
      const inputGrads = node.gradient.backward(k, dy, node, node.attrs, needs);
      node.inputs.forEach((input, i) => {
        const g = inputGrads[i];
        if (!needs[i] || g === undefined) return;
        checkGradientShape(node, i, g);
        const previous = grads.get(input);
        grads.set(input, previous === undefined ? g : k.add.forward(previous, g));
        if (previous !== undefined) spent.push(previous, g);
      });
      memory?.release(n, spent, grads.values());
    }
    return grads;
  }
}

/** A backward's gradient for input i of `node` must have that input's shape. */
function checkGradientShape(node: Node, i: number, g: Tensor): void {
  const input = node.inputs[i]!;
  invariant(
    sameShape(g.shape, input.shape),
    `${node.name}: gradient ${i} has shape ${formatShape(g.shape)}, input has ${formatShape(input.shape)}`,
  );
}
