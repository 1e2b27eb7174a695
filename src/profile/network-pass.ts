import { GpuError } from '../errors.ts';
import { runInference } from '../infer/predict.ts';
import type { MsseConfig } from '../model/config.ts';
import { recordTrainingStep, transientZeroMoments } from '../model/step.ts';
import type { OpenBackend } from '../platform/node/backends.ts';
import type { Backend } from '../runtime/backend.ts';
import type { ParamStore } from '../runtime/params.ts';
import { counterUniform } from '../runtime/random.ts';
import { profilePass, type OpProfile, type ProfiledPass } from './ops-profile.ts';

export interface ProfileOptions {
  readonly batch: number;
  readonly frames: number;
  readonly train: boolean;
  readonly seed: number;
  readonly repeats: number;
}

/**
 * One pass of MS-SENet on a seeded random batch (uniform in [−1, 1]): inference, or a whole training step (forward,
 * loss, backward, Adam with zero moments). Training passes update `params` in place.
 */
export function networkPass(backend: Backend, config: MsseConfig, params: ParamStore, options: ProfileOptions): ProfiledPass {
  const { batch, frames } = options;
  const input = Float32Array.from({ length: batch * frames * config.feat }, (_, i) => 2 * counterUniform(options.seed, 0, 0, 0, i) - 1);
  const labels = Int32Array.from({ length: batch }, (_, b) => b % config.numClasses);
  return {
    name: options.train ? 'training step (forward, backward, Adam)' : 'forward (inference)',
    batch,
    frames,
    record(step) {
      const x = backend.upload(input, [batch, frames, config.feat], 'x', { transient: true });
      return options.train
        ? recordTrainingStep(backend, config, params, x, labels, { seed: options.seed, t: step }, transientZeroMoments(backend)).loss
        : runInference(backend, config, params, x).logits;
    },
  };
}

/** `msse inspect --ops` and the benchmarks: networkPass profiled on an open webgpu backend. */
export function profileNetwork(open: OpenBackend, config: MsseConfig, params: ParamStore, options: ProfileOptions): Promise<OpProfile> {
  if (open.tensors === undefined) throw new GpuError('inspect --ops needs the webgpu backend');
  return profilePass(open.backend, open.tensors, networkPass(open.backend, config, params, options), options.repeats);
}
