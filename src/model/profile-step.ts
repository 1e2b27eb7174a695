import type { Backend } from '../runtime/backend.ts';
import { adamStep } from '../ops/adam.ts';
import type { ParamStore } from '../runtime/params.ts';
import { Tape } from '../runtime/tape.ts';
import type { Tensor } from '../runtime/tensor.ts';
import type { MsseConfig } from './config.ts';
import { msseForward, msseLoss } from './msse.ts';

export interface StepOptions {
  /** Forward only in inference mode (false), or a whole training step: forward, loss, backward, Adam (true). */
  readonly train: boolean;
  /** Dropout seed and Adam step number of a training step. */
  readonly seed: number;
  readonly step: number;
}

/**
 * Records one pass of the network on a batch, as `msse inspect --ops` and the benchmarks run it: inference forward,
 * or a training step with dropout on and Adam updating `params` in place (fresh zero moments: profiling only).
 * Returns the logits, the loss (training only) and the activations by golden site, all still on the backend.
 */
export function recordStep(
  backend: Backend,
  config: MsseConfig,
  params: ParamStore,
  x: Tensor,
  labels: ArrayLike<number>,
  options: StepOptions,
): { logits: Tensor; loss: Tensor | undefined; activations: Map<string, Tensor> } {
  const tape = new Tape(backend, options.train);
  const dropout = options.train ? { seed: options.seed, step: options.step } : undefined;
  const { logits, activations } = msseForward(tape, config, params, x, { training: options.train, ...(dropout && { dropout }) });
  if (!options.train) return { logits, loss: undefined, activations };
  const { loss } = msseLoss(tape, config, logits, labels);
  const grads = tape.backward(loss);
  for (const param of params.params.values()) {
    const grad = grads.get(param)!;
    const zeros = new Float32Array(param.numElements);
    const m = backend.upload(zeros, param.shape, 'adam.m', { transient: true });
    const v = backend.upload(zeros, param.shape, 'adam.v', { transient: true });
    adamStep(backend, param, grad, m, v, config.adam, options.step);
  }
  return { logits, loss, activations };
}
