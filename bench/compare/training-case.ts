/**
 * `training-step`: one step at LARGE_BATCH (forward in training mode with dropout, label-smoothed loss, backward,
 * Adam), timed to the read-back of the loss (on WebGPU the step is one command buffer), on a throwaway copy of the
 * shipped weights with persistent Adam moments, as `msse train` runs it. The peers cannot: each is tried, and what
 * it answered is the row's note.
 */
import { TrainingError } from '../../src/errors.ts';
import { uploadStore } from '../../src/infer/model-state.ts';
import { recordTrainingStep, type Moments } from '../../src/model/step.ts';
import type { Backend } from '../../src/runtime/backend.ts';
import type { ParamStore } from '../../src/runtime/params.ts';
import type { Tensor } from '../../src/runtime/tensor.ts';
import { ortTrainingProbe } from '../peers/ort-wasm.ts';
import { startTfjsWasm, tfjsTrainingProbe } from '../peers/tfjs-wasm.ts';
import type { ImplSpec, NetworkImpl, TrainingBackend } from './impls.ts';
import { firstExamples, type BenchInput } from './input.ts';
import { implRow } from './network-cases.ts';
import type { BenchRow } from './rows.ts';
import { LARGE_BATCH, type BenchSettings, type Suite } from './settings.ts';
import { timeTask } from './timing.ts';

/** A copy of the input model's parameters on `backend`, with zero Adam moments: what a training run starts from. */
export function throwawayModel(backend: Backend, input: BenchInput): { params: ParamStore; moments: Map<string, Moments>; dispose(): void } {
  const { config, model } = input.checked;
  const params = uploadStore(backend, config, { parameters: model.parameters, buffers: model.buffers }, model.file);
  const moments = new Map<string, Moments>();
  for (const [name, p] of params.params) {
    const zeros = new Float32Array(p.numElements);
    moments.set(name, { m: backend.upload(zeros, p.shape, `adam.m.${name}`), v: backend.upload(zeros, p.shape, `adam.v.${name}`) });
  }
  const all = (): Tensor[] => [...params.params.values(), ...params.buffers.values(), ...[...moments.values()].flatMap((m) => [m.m, m.v])];
  return { params, moments, dispose: () => all().forEach((t) => backend.dispose(t)) };
}

/**
 * Times msse's training step on `impl`'s backend. A backend that has no training part, or whose training part does
 * not open (build/network-train.wasm not built), gets a row saying so.
 */
export async function measureTrainingStep(impl: NetworkImpl, input: BenchInput, settings: BenchSettings, suite: Suite): Promise<BenchRow> {
  const note = (text: string) => implRow(impl, suite, 'training-step', LARGE_BATCH, null, { note: text });
  const openTraining = impl.msse?.training;
  if (openTraining === undefined) return note(`msse's ${impl.spec.backend} backend runs inference only`);
  let training: TrainingBackend;
  try {
    training = await openTraining();
  } catch (error) {
    return note(`msse's ${impl.spec.backend} training backend did not open: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const { backend } = training;
  const { config } = input.checked;
  const model = throwawayModel(backend, input);
  const x = firstExamples(input, LARGE_BATCH);
  let step = 0;
  try {
    const timing = await timeTask(
      'msse training step',
      async () => {
        const t = ++step;
        const batch = backend.upload(x, [LARGE_BATCH, input.frames, input.feat], 'x', { transient: true });
        const { loss } = recordTrainingStep(backend, config, model.params, batch, input.labels, { seed: 1, t }, (name) => model.moments.get(name)!);
        const [value] = await backend.read(loss);
        backend.releaseTransients();
        if (!Number.isFinite(value)) throw new TrainingError(`bench: training step ${t} gave loss ${value}`);
      },
      settings.trainingStep,
    );
    return implRow(impl, suite, 'training-step', LARGE_BATCH, null, timing);
  } finally {
    model.dispose();
    training.close();
  }
}

/** The peers' training-step rows: each asked for what a training step needs, its answer recorded. */
export async function peerTrainingRows(suite: Suite, peers: readonly ImplSpec[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const spec of peers) {
    const note = spec.impl === 'ort-wasm' ? await ortTrainingProbe() : tfjsTrainingProbe((await startTfjsWasm(spec.threads ?? 1)).tf);
    rows.push(implRow({ spec }, suite, 'training-step', LARGE_BATCH, null, { note }));
  }
  return rows;
}
