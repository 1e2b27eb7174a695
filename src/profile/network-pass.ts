import { GpuError } from '../errors.ts';
import { runInference } from '../infer/predict.ts';
import type { MsseConfig } from '../model/config.ts';
import { recordTrainingStep, transientZeroMoments } from '../model/step.ts';
import type { OpenBackend } from '../platform/node/backends.ts';
import { fusedParamsFromStore, fusedTensors, type FusedParams } from '../model/msse-fused.ts';
import { hasFusedKernels, type Backend, type FusedInferenceKernels } from '../runtime/backend.ts';
import type { ParamStore } from '../runtime/params.ts';
import { counterUniform } from '../runtime/random.ts';
import { profileCallsPass } from './cpu-profile.ts';
import { profilePass, type OpProfile, type PassProfile, type ProfiledPass } from './ops-profile.ts';

export interface ProfileOptions {
  readonly batch: number;
  readonly frames: number;
  readonly train: boolean;
  readonly seed: number;
  readonly repeats: number;
  /** Inference through the unfused forward (msseForward) even where the backend has the fused kernels. */
  readonly unfused?: boolean;
}

/**
 * One pass of MS-SENet on a seeded random batch (uniform in [−1, 1]): inference, or a whole training step (forward,
 * loss, backward, Adam with zero moments). Training passes update `params` in place.
 */
export function networkPass(backend: Backend, config: MsseConfig, params: ParamStore, options: ProfileOptions, fused?: FusedParams): ProfiledPass {
  const { batch, frames } = options;
  const input = Float32Array.from({ length: batch * frames * config.feat }, (_, i) => 2 * counterUniform(options.seed, 0, 0, 0, i) - 1);
  const labels = Int32Array.from({ length: batch }, (_, b) => b % config.numClasses);
  return {
    name: options.train ? 'training step (forward, backward, Adam)' : fused !== undefined ? 'fused forward (inference)' : 'forward (inference)',
    batch,
    frames,
    record(step) {
      const x = backend.upload(input, [batch, frames, config.feat], 'x', { transient: true });
      return options.train
        ? recordTrainingStep(backend, config, params, x, labels, { seed: options.seed, t: step }, transientZeroMoments(backend)).loss
        : runInference(backend, config, params, x, fused).logits;
    },
  };
}

/**
 * `msse inspect --ops` and the benchmarks: networkPass profiled on an open webgpu backend. Inference runs the fused
 * forward (its folded parameters prepared from `params` first) unless options.unfused.
 */
export async function profileNetwork(open: OpenBackend, config: MsseConfig, params: ParamStore, options: ProfileOptions): Promise<OpProfile> {
  const { backend, tensors } = open;
  if (tensors === undefined) throw new GpuError(`profileNetwork replays WebGPU dispatches; profile the ${backend.name} backend with profileNetworkCalls`);
  return withForwardParams(backend, config, params, options, (fused) =>
    profilePass(backend, tensors, networkPass(backend, config, params, options, fused), options.repeats),
  );
}

/**
 * `msse inspect --ops` on a backend whose kernels run when called (wasm, reference): networkPass with every kernel
 * call timed (cpu-profile.ts), fused as in profileNetwork; `device` names the backend and the CPU for the report.
 */
export async function profileNetworkCalls(open: OpenBackend, config: MsseConfig, params: ParamStore, options: ProfileOptions, device: string): Promise<PassProfile> {
  const { backend } = open;
  return withForwardParams(backend, config, params, options, (fused) =>
    profileCallsPass(backend, (timed) => networkPass(timed, config, params, options, fused), options.repeats, device),
  );
}

/** Runs `profile` given the fused forward's folded parameters when inference runs fused (not options.unfused), then frees them. */
async function withForwardParams<T>(backend: Backend, config: MsseConfig, params: ParamStore, options: ProfileOptions, profile: (fused: FusedParams | undefined) => Promise<T>): Promise<T> {
  const useFused = !options.train && options.unfused !== true && hasFusedKernels(backend);
  const fused = useFused ? await fusedParamsFromStore(backend, config, params) : undefined;
  try {
    return await profile(fused);
  } finally {
    for (const t of fused === undefined ? [] : fusedTensors(fused)) backend.dispose(t);
  }
}

/** --compare times the fused forward against the unfused one: the backend must have the fused kernels. */
export function expectFusedKernels<B extends Backend>(backend: B): asserts backend is B & FusedInferenceKernels {
  if (!hasFusedKernels(backend)) throw new GpuError(`inspect --ops --compare: the ${backend.name} backend has no fused kernels`);
}

/** Whole-pass times of the unfused and the fused inference forward, medians over interleaved rounds. */
export interface InferenceComparison {
  readonly rounds: number;
  readonly unfusedMs: number;
  readonly fusedMs: number;
}

/**
 * `msse inspect --ops --compare`: the unfused and the fused inference pass of the same model and input, recorded and
 * submitted as one command buffer each, alternately for `rounds` rounds (after a warm-up of each), so that load
 * from other processes on a shared machine falls on both alike; medians.
 */
export async function compareInference(open: OpenBackend, config: MsseConfig, params: ParamStore, options: ProfileOptions, rounds: number): Promise<InferenceComparison> {
  const { backend } = open;
  expectFusedKernels(backend);
  const fused = await fusedParamsFromStore(backend, config, params);
  try {
    const passes = [networkPass(backend, config, params, { ...options, train: false }), networkPass(backend, config, params, { ...options, train: false }, fused)];
    const samples: [number[], number[]] = [[], []];
    for (let round = -1; round < rounds; round++) {
      for (const [k, pass] of passes.entries()) {
        const started = performance.now();
        await backend.read(pass.record(1));
        if (round >= 0) samples[k]!.push(performance.now() - started);
        backend.releaseTransients();
      }
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    return { rounds, unfusedMs: median(samples[0]), fusedMs: median(samples[1]) };
  } finally {
    for (const t of fusedTensors(fused)) backend.dispose(t);
  }
}
