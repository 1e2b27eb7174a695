import { existsSync } from 'node:fs';
import { expectFitsBackend, openBackend } from '../platform/node/backends.ts';
import { frameCount } from '../audio/mfcc-settings.ts';
import { largestTensorBytes } from '../model/pass-size.ts';
import { FormatError, UsageError } from '../errors.ts';
import { loadModel, saveModel } from '../platform/node/model-file.ts';
import { type Float32Tensor, type LoadedModel } from '../io/model-file.ts';
import { loadCheckpoint, expectSameRun, saveCheckpoint } from '../train/checkpoint.ts';
import type { HostTensor } from '../infer/model-state.ts';
import { cvFiguresFor } from '../train/cv-figures.ts';
import { readCvReport, type CvReport } from '../train/cv-report.ts';
import type { DatasetIndex } from '../platform/node/dataset.ts';
import { Trainer, type TrainSettings } from '../train/trainer.ts';
import { prepareOutputs } from '../platform/node/prepare-outputs.ts';
import { integerOption, stringOption, type CliIO, type Command, type ParsedArgs } from './command.ts';
import {
  checkpointDue,
  checkpointRun,
  commandLine,
  dataInputs,
  EpochLog,
  loadTrainingData,
  loadTrainingIndex,
  modelRun,
  msseVersion,
  networkConfig,
  parseTrainingArgs,
  percent,
  TRAINING_HELP,
  TRAINING_OPTIONS,
  MAX_EPOCHS,
  type TrainingArgs,
} from './training-run.ts';

export const trainCommand: Command = {
  name: 'train',
  summary: 'train MS-SENet on a data folder and save the model (safetensors)',
  help: `usage: msse train --data DIR -o MODEL.safetensors [options]

Trains MS-SENet on every file of DIR with the paper's settings: Adam (Keras form), label smoothing 0.1,
dropout, BatchNorm running statistics for inference. The same seed gives the same model bit for bit on
the same backend. Writes a checkpoint after every N epochs; --resume continues a killed run from it and
ends with the model an uninterrupted run would have made.

  -o, --output MODEL     the model file (safetensors: parameters, BatchNorm statistics, config, labels,
                         front-end settings, provenance)
${TRAINING_HELP}
  --checkpoint-every N   write the checkpoint every N epochs and after the last (default 1; 0: only after the last)
  --checkpoint FILE      the checkpoint file (default MODEL.ckpt)
  --resume               continue from the checkpoint; the other options must be those of the run that wrote it
                         (--epochs may be larger, to train further). After a finished run whose checkpoint is
                         gone, MODEL stands in for it: nothing is trained, the provenance is written anew
                         (to record a --cv-report finished later)
  --cv-report R.json     record the figures of this msse cv report in the model's provenance; it must have
                         evaluated this same run (data, seed, epochs, batch, network, front end)`,
  options: {
    ...TRAINING_OPTIONS,
    output: { type: 'string', short: 'o' },
    'checkpoint-every': { type: 'string' },
    checkpoint: { type: 'string' },
    resume: { type: 'boolean' },
    'cv-report': { type: 'string' },
  },

  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`train: unexpected argument '${args.positionals[0]}'; the data folder goes after --data`);
    const a = parseTrainingArgs(args, 'train');
    const output = stringOption(args, 'output');
    if (output === undefined) throw new UsageError('train: missing -o MODEL');
    const checkpointEvery = integerOption(args, 'checkpoint-every', 1, 0, MAX_EPOCHS);
    const checkpointPath = stringOption(args, 'checkpoint') ?? `${output}.ckpt`;
    const resume = args.values.resume === true;
    const checkpointMissing = resume && !existsSync(checkpointPath);
    const fromModel = checkpointMissing && existsSync(output);
    if (checkpointMissing && !fromModel) {
      throw new UsageError(`train: --resume but no checkpoint at ${checkpointPath}; run without --resume to start afresh`);
    }

    const index = loadTrainingIndex(a);
    const cvFile = stringOption(args, 'cv-report');
    const outputs = prepareOutputs([output, checkpointPath], { inputs: [...dataInputs(index), ...(cvFile === undefined ? [] : [cvFile])] });
    try {
      const cvReport = cvFile === undefined ? undefined : { file: cvFile, report: readCvReport(cvFile) };
      await train(args, a, { output, checkpointPath, checkpointEvery, resume, fromModel, cvReport }, index, io);
    } finally {
      outputs.release();
    }
  },
};

/** What `msse train` writes and how, from its options. */
interface TrainOutputs {
  readonly output: string;
  readonly checkpointPath: string;
  readonly checkpointEvery: number;
  readonly resume: boolean;
  /** `--resume` after a finished run whose checkpoint is gone: the model stands in for it. */
  readonly fromModel: boolean;
  /** `--cv-report`: the file and the report read from it. */
  readonly cvReport: { readonly file: string; readonly report: CvReport } | undefined;
}

/** The run of `msse train` once its outputs are checked and locked. */
async function train(args: ParsedArgs, a: TrainingArgs, o: TrainOutputs, index: DatasetIndex, io: CliIO): Promise<void> {
  const { output, checkpointPath, checkpointEvery, resume, fromModel } = o;
  const config = networkConfig(a, index.labels.length);
  const frames = frameCount(a.lengthSamples);
  const open = await openBackend(a.backend, { threads: a.threads });
  try {
    // Before the features and the epochs: a batch the device cannot hold would fail only at the first step.
    expectFitsBackend(open, largestTensorBytes(config, a.batchSize, frames), `a training batch of ${a.batchSize} x ${frames} frames`, 'lower --batch or --length');
    const training = await loadTrainingData(a, index, io);
    const { data, frontEnd, sha256 } = training;
    const settings: TrainSettings = { config, batchSize: a.batchSize, seed: a.seed, fold: 0 };
    const run = checkpointRun(a, config, training);
    // Checked before training, so that a wrong report costs nothing.
    const cv = o.cvReport && cvFiguresFor(o.cvReport.report, o.cvReport.file, {
      data_sha256: sha256,
      seed: a.seed,
      epochs: a.epochs,
      batch_size: a.batchSize,
      network: config,
      front_end: frontEnd,
    });
    const provenance = (steps: number): object => ({
      command: commandLine('train', args),
      seed: a.seed,
      epochs: a.epochs,
      batch_size: a.batchSize,
      steps,
      samples: data.entries.length,
      data_sha256: sha256,
      backend: a.backend,
      msse_version: msseVersion(),
      ...(cv === undefined ? {} : { cv }),
    });
    if (fromModel) {
      const { model, steps } = finishedModel(output, run, a.epochs, checkpointPath);
      saveModel(output, { ...model, provenance: provenance(steps) });
      io.out(`${output}: the run had finished (${count(a.epochs, 'epoch')}); its tensors are kept, its provenance written anew`);
      return;
    }
    const checkpoint = resume ? loadCheckpoint(checkpointPath) : undefined;
    if (checkpoint !== undefined) {
      expectSameRun(checkpoint.run, run, checkpointPath);
      if (checkpoint.state.epoch > a.epochs) {
        throw new UsageError(`train: the checkpoint is after epoch ${checkpoint.state.epoch}, past --epochs ${a.epochs}`);
      }
    }

    const all = data.entries.map((_, i) => i);
    const trainer =
      checkpoint === undefined ? Trainer.create(open.backend, settings) : Trainer.restore(open.backend, settings, checkpoint.state, checkpointPath);
    if (checkpoint !== undefined && !a.quiet) io.out(`resuming after epoch ${trainer.epoch} (step ${trainer.step}) from ${checkpointPath}`);
    const log = new EpochLog(io, a.quiet, (a.epochs - trainer.epoch) * Math.ceil(all.length / a.batchSize));
    while (trainer.epoch < a.epochs) {
      const prefix = `epoch ${trainer.epoch + 1}/${a.epochs}`;
      log.startEpoch();
      const stats = await trainer.trainEpoch(data, all, (_, __, running) => log.batch(prefix, running));
      if (checkpointDue(trainer.epoch, a.epochs, checkpointEvery)) {
        saveCheckpoint(checkpointPath, { run, state: await trainer.state() });
      }
      log.epoch(`${prefix}  loss ${stats.loss.toFixed(4)}  acc ${percent(stats.accuracy)}`);
    }

    const host = (await trainer.state()).store;
    saveModel(output, {
      parameters: toFloat32(host.parameters),
      buffers: toFloat32(host.buffers),
      config,
      labels: index.labels,
      frontEnd,
      provenance: provenance(trainer.step),
    });
    io.out(`wrote ${output} (${count(a.epochs, 'epoch')}, ${count(data.entries.length, 'file')}, ${count(index.labels.length, 'class')})`);
  } finally {
    open.close();
  }
}

/**
 * `--resume` after a finished run whose checkpoint is gone: the model file holds the final parameters and
 * BatchNorm statistics; a checkpoint after the last epoch adds only Adam's moments, which no further step reads
 * when none is taken. So the model stands in for that checkpoint when it is of this same run and trained exactly
 * `epochs` epochs; it cannot train further.
 * @returns the model and the Adam steps it took
 * @throws FormatError naming `path` (not an msse model, another run); UsageError for another epoch count
 */
function finishedModel(path: string, run: Readonly<Record<string, unknown>>, epochs: number, checkpointPath: string): { model: LoadedModel; steps: number } {
  const model = loadModel(path);
  expectSameRun(modelRun(model), run, path, 'model');
  const { epochs: trained, steps } = model.provenance;
  if (typeof steps !== 'number') throw new FormatError('model provenance has no "steps"', { file: path });
  if (trained !== epochs) {
    throw new UsageError(
      `train: --resume without a checkpoint: ${path} is the model after ${JSON.stringify(trained)} epochs, not ${epochs}; ` +
        `training further needs its checkpoint (${checkpointPath})`,
    );
  }
  return { model, steps };
}

/** `1 epoch`, `3 epochs`, `2 classes`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : noun.endsWith('s') ? 'es' : 's'}`;
}

/** Model files store float32: the reference backend's float64 values rounded. */
function toFloat32(tensors: ReadonlyMap<string, HostTensor>): Map<string, Float32Tensor> {
  return new Map([...tensors].map(([name, t]) => [name, { shape: t.shape, data: Float32Array.from(t.data) }]));
}
