/**
 * MS-SENet training as the paper runs it (Keras `fit`): per epoch the training examples are shuffled and cut into
 * batches (kfold.ts epochBatches); per batch one training-mode forward with dropout, the label-smoothed loss,
 * backward, and one Adam step (Keras form, src/ops/adam.ts) on every parameter. BatchNorm running statistics are
 * updated by the training forwards and used by evaluation.
 *
 * Everything random comes from one u32 seed: the initial weights (model/params.ts), the batch order of each epoch
 * (seed, fold, epoch) and the dropout masks (seed, layer, step t). So the same seed gives the same model bit for bit
 * on the same backend, and a run resumed from a checkpoint (which stores epoch and t) equals an uninterrupted one.
 * Dropout uses t ≥ 1 as its step so its draws never coincide with the initialisation's (which use step 0).
 * The initial weights depend on the seed only: every cv fold starts from the same weights, as a Keras script
 * that re-seeds before building each fold's model does; the folds differ in data and batch order.
 */
import { invariant, TrainingError } from '../errors.ts';
import type { MsseConfig } from '../model/config.ts';
import { initParams } from '../model/params.ts';
import { recordTrainingStep, type Moments } from '../model/step.ts';
import type { Backend } from '../runtime/backend.ts';
import type { ParamStore } from '../runtime/params.ts';
import { gatherBatch, type FeatureSet } from './batches.ts';
import type { HostMoments, TrainingState } from './checkpoint.ts';
import { epochBatches } from './kfold.ts';
import { argmaxRows } from './metrics.ts';
import { readStore, uploadStore } from '../infer/model-state.ts';
import { predictProbabilities } from '../infer/predict.ts';
import { turnEventLoop } from './event-loop.ts';

/** What fixes a training run besides the data. */
export interface TrainSettings {
  readonly config: MsseConfig;
  readonly batchSize: number;
  /** u32: initial weights, batch order and dropout masks. */
  readonly seed: number;
  /** The split the batch order belongs to: 0 for `msse train` on all the data, 1..K for cv fold k. */
  readonly fold: number;
}

/** One epoch's training figures (Keras's: mean over the epoch's examples, in training mode with dropout). */
export interface EpochStats {
  /** 1-based. */
  readonly epoch: number;
  /** Mean label-smoothed cross-entropy per example. */
  readonly loss: number;
  /** Fraction of training examples whose highest-probability class was right, in [0, 1]. */
  readonly accuracy: number;
}

/** Called after each batch with the batches done and the epoch's total. */
export type BatchCallback = (done: number, total: number, running: { loss: number; accuracy: number }) => void;

/**
 * A model being trained: its parameters and BatchNorm buffers, Adam's moments (persistent tensors on the backend,
 * freed by `dispose`), and how far it has come. Per-step tensors (the batch, targets, every kernel output) are
 * transient and freed at the end of each step.
 */
export class Trainer {
  private constructor(
    private readonly backend: Backend,
    readonly settings: TrainSettings,
    /** Parameters and BatchNorm buffers on the device. */
    readonly params: ParamStore,
    private readonly moments: Map<string, Moments>,
    private epochsDone: number,
    private stepsDone: number,
  ) {}

  /** A fresh model: Keras initialisation from the seed, Adam moments zero, t = 0. */
  static create(backend: Backend, settings: TrainSettings): Trainer {
    const params = initParams(backend, settings.config, settings.seed);
    const moments = new Map<string, Moments>();
    for (const [name, p] of params.params) {
      const zeros = new Float64Array(p.numElements);
      moments.set(name, { m: backend.upload(zeros, p.shape, `adam.m.${name}`), v: backend.upload(zeros, p.shape, `adam.v.${name}`) });
    }
    return new Trainer(backend, settings, params, moments, 0, 0);
  }

  /**
   * Continues from a saved state (checkpoint.ts); `file` names it in errors.
   * @throws FormatError naming `file` when its tensors do not fit `settings.config`
   */
  static restore(backend: Backend, settings: TrainSettings, state: TrainingState, file: string): Trainer {
    const params = uploadStore(backend, settings.config, state.store, file);
    const moments = new Map<string, Moments>();
    for (const [name, p] of params.params) {
      const saved = state.moments.get(name);
      invariant(saved !== undefined, `restore: no moments for ${name}`);
      moments.set(name, { m: backend.upload(saved.m.data, p.shape, `adam.m.${name}`), v: backend.upload(saved.v.data, p.shape, `adam.v.${name}`) });
    }
    return new Trainer(backend, settings, params, moments, state.epoch, state.step);
  }

  /** Epochs completed. */
  get epoch(): number {
    return this.epochsDone;
  }

  /** Adam steps taken (t of the last one). */
  get step(): number {
    return this.stepsDone;
  }

  /**
   * Trains one epoch on the examples `indices` of `set`: the next epoch's batch order, one Adam step per batch.
   * Reads the loss and probabilities once per step (they give the epoch's figures), then ends the step
   * (backend.releaseTransients) and lets the event loop turn (signals are handled within a step).
   */
  async trainEpoch(set: FeatureSet, indices: readonly number[], onBatch?: BatchCallback): Promise<EpochStats> {
    const { backend } = this;
    const { config, batchSize, seed, fold } = this.settings;
    const epoch = this.epochsDone + 1;
    const batches = epochBatches(indices, batchSize, { seed, fold, epoch });
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    for (const [i, batchIndices] of batches.entries()) {
      const t = this.stepsDone + 1;
      const batch = gatherBatch(set, batchIndices);
      const x = backend.upload(batch.x, batch.shape, 'x', { transient: true });
      const { loss, probs } = recordTrainingStep(backend, config, this.params, x, batch.labels, { seed, t }, (name) => this.moments.get(name)!);
      const [lossValue, probValues] = await Promise.all([backend.read(loss), backend.read(probs)]);
      backend.releaseTransients();
      expectFinite(lossValue, `the loss is ${lossValue[0]}`, epoch, t);
      expectFinite(probValues, 'a class probability is not finite', epoch, t);
      this.stepsDone = t;

      const predicted = argmaxRows(probValues, config.numClasses);
      batch.labels.forEach((label, b) => (correct += predicted[b] === label ? 1 : 0));
      lossSum += lossValue[0]! * batchIndices.length;
      seen += batchIndices.length;
      onBatch?.(i + 1, batches.length, { loss: lossSum / seen, accuracy: correct / seen });
      await turnEventLoop();
    }
    this.epochsDone = epoch;
    return { epoch, loss: lossSum / seen, accuracy: correct / seen };
  }

  /**
   * Class probabilities of the examples `indices` of `set` (rows × classes), inference mode: see src/infer/predict.ts.
   * @throws TrainingError when one is not finite: the last step left a parameter or statistic that is not
   */
  async predict(set: FeatureSet, indices: readonly number[]): Promise<Float64Array> {
    const { config, batchSize } = this.settings;
    const probs = await predictProbabilities(this.backend, config, this.params, gatherBatch(set, indices).x, set.frames, batchSize);
    expectFinite(probs, 'a predicted probability is not finite', this.epochsDone, this.stepsDone);
    return probs;
  }

  /**
   * The whole state on the host, for a checkpoint or a model file.
   * @throws TrainingError when a parameter, BatchNorm statistic or Adam moment is not finite, so that a diverged
   *   state is never saved over the last good one
   */
  async state(): Promise<TrainingState> {
    const { backend } = this;
    const moments = new Map<string, HostMoments>();
    for (const [name, { m, v }] of this.moments) {
      moments.set(name, { m: { shape: m.shape, data: await backend.read(m) }, v: { shape: v.shape, data: await backend.read(v) } });
    }
    const store = await readStore(backend, this.params);
    const named = [...store.parameters, ...store.buffers, ...[...moments].flatMap(([name, { m, v }]) => [[`adam_m.${name}`, m], [`adam_v.${name}`, v]] as const)];
    for (const [name, tensor] of named) expectFinite(tensor.data, `tensor "${name}" is not finite`, this.epochsDone, this.stepsDone);
    return { epoch: this.epochsDone, step: this.stepsDone, store, moments };
  }

  /** Frees the parameters, buffers and moments on the backend (WebGPU buffers); the trainer is unusable after. */
  dispose(): void {
    for (const tensors of [this.params.params, this.params.buffers]) for (const t of tensors.values()) this.backend.dispose(t);
    for (const { m, v } of this.moments.values()) {
      this.backend.dispose(m);
      this.backend.dispose(v);
    }
  }
}

/**
 * Training has diverged when a value it computes stops being finite: one NaN reaches every parameter within a step or
 * two, and every later figure is meaningless. So it stops at once, naming where.
 * @throws TrainingError `training diverged at epoch 3, step 17: the loss is NaN; ...`
 */
function expectFinite(values: ArrayLike<number>, what: string, epoch: number, step: number): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new TrainingError(`training diverged at epoch ${epoch}, step ${step}: ${what}; a lower learning rate may help`);
    }
  }
}
