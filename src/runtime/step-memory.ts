import type { Backend } from './backend.ts';
import type { Recorded } from './op.ts';
import type { Tensor } from './tensor.ts';

/**
 * Which of a step's tensors the backward walk may free, and when. A tensor's storage is dead once the walk has
 * passed the earliest node that reads it (nodes run in reverse, so that is its last use), no gradient still held
 * shares it (views: reshape's gradient is a view of dy, add's two gradients are dy itself) and the caller did not
 * ask to keep it. Freed storage goes back to the backend's pool at once, so the step's peak is about the forward
 * activations plus the gradients in flight, not every gradient of the step.
 */
export class StepMemory {
  /** Storage -> index of the earliest node that reads or saved it. */
  readonly #lastUse = new Map<unknown, number>();
  readonly #kept: Set<unknown>;

  constructor(
    private readonly backend: Backend,
    nodes: readonly Recorded[],
    keep: Iterable<Tensor>,
  ) {
    this.#kept = new Set([...keep].map((t) => t.storage));
    nodes.forEach((node, n) => {
      for (const t of [...node.inputs, node.out, ...node.saved]) {
        if (!this.#lastUse.has(t.storage)) this.#lastUse.set(t.storage, n);
      }
    });
  }

  /** After node `n`'s backward: frees those of `candidates` (its tensors, its spent gradients) that are dead. */
  release(n: number, candidates: readonly Tensor[], gradients: Iterable<Tensor>): void {
    const held = new Set<unknown>();
    for (const g of gradients) held.add(g.storage);
    for (const t of candidates) {
      const lastUse = this.#lastUse.get(t.storage) ?? n;
      if (lastUse < n || held.has(t.storage) || this.#kept.has(t.storage)) continue;
      this.backend.release(t);
    }
  }
}
