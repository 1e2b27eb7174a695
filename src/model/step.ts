import { InternalError } from '../errors.ts';
import { adamStep } from '../ops/adam.ts';
import type { Backend } from '../runtime/backend.ts';
import type { ParamStore } from '../runtime/params.ts';
import { Tape } from '../runtime/tape.ts';
import { OP_GRADIENTS } from '../ops/gradients.ts';
import type { Tensor } from '../runtime/tensor.ts';
import type { MsseConfig } from './config.ts';
import { msseForward, msseLoss } from './msse.ts';

/** Adam's first and second moments of one parameter. */
export interface Moments {
  readonly m: Tensor;
  readonly v: Tensor;
}

/** What a recorded training step leaves readable: the rest of its tensors were freed as backward went. */
export interface TrainingStep {
  readonly loss: Tensor;
  readonly probs: Tensor;
}

/**
 * Records one training step on a batch: forward in training mode with dropout (seeded by `seed` and the Adam step
 * `t`, which is ≥ 1), the label-smoothed loss, backward, and an Adam step on every parameter with the moments
 * `momentsOf` gives it. Nothing is read back: on WebGPU the whole step is one command buffer, submitted when the
 * caller reads the loss.
 */
export function recordTrainingStep(
  backend: Backend,
  config: MsseConfig,
  params: ParamStore,
  x: Tensor,
  labels: ArrayLike<number>,
  { seed, t }: { readonly seed: number; readonly t: number },
  momentsOf: (name: string, param: Tensor) => Moments,
): TrainingStep {
  const tape = new Tape(backend, OP_GRADIENTS);
  const { logits } = msseForward(tape, config, params, x, { training: true, dropout: { seed, step: t } });
  const { loss, probs } = msseLoss(tape, config, logits, labels);
  const grads = tape.backward(loss, { release: { keep: [probs] } });
  for (const [name, param] of params.params) {
    const grad = grads.get(param);
    if (grad === undefined) throw new InternalError(`training step: no gradient for ${name}`);
    const { m, v } = momentsOf(name, param);
    adamStep(backend, param, grad, m, v, config.adam, t);
  }
  return { loss, probs };
}

/** Zero moments that live for one step: for profiling a step without an optimizer's state. */
export function transientZeroMoments(backend: Backend): (name: string, param: Tensor) => Moments {
  return (name, param) => {
    const zeros = new Float32Array(param.numElements);
    return {
      m: backend.upload(zeros, param.shape, `adam.m.${name}`, { transient: true }),
      v: backend.upload(zeros, param.shape, `adam.v.${name}`, { transient: true }),
    };
  };
}
