import { createMfccExtractor } from '../platform/node/mfcc.ts';
import { openBackend } from '../platform/node/backends.ts';
import { N_MFCC, frameCount } from '../audio/mfcc-settings.ts';
import { readWavFile } from '../platform/node/wav-file.ts';
import { UsageError } from '../errors.ts';
import { loadCheckedModel } from '../platform/node/model-file.ts';
import { uploadStore } from '../infer/model-state.ts';
import { predictProbabilities } from '../infer/predict.ts';
import { backendOption, type Command } from './command.ts';
import { percent } from './training-run.ts';

/** Files per inference batch: the training batch size, so a model that trained fits its device here too. */
const CLASSIFY_BATCH = 64;

/** One line of `msse classify --json`. */
interface Classification {
  readonly file: string;
  /** The most probable class. */
  readonly label: string;
  /** Every class's probability, in the model's class order. */
  readonly probs: Record<string, number>;
}

export const classifyCommand: Command = {
  name: 'classify',
  summary: 'the emotion in WAV files by a trained model: top label and every class probability',
  help: `usage: msse classify MODEL FILE.wav [FILE2.wav ...] [--json] [--backend webgpu|reference]

Computes each file's MFCCs with the front end the model was trained with (its length included), runs the
network in inference mode (BatchNorm running statistics, no dropout) and prints, per file, the most probable
label and the probability of every class.

  --json           print a JSON array of {"file", "label", "probs": {label: probability}}
  --backend NAME   webgpu (default) or reference (float64 TypeScript)`,
  options: { json: { type: 'boolean' }, backend: { type: 'string' } },

  async run(args, io) {
    const [modelPath, ...files] = args.positionals;
    if (modelPath === undefined || files.length === 0) throw new UsageError('classify: expected MODEL and at least one WAV file');
    const backendName = backendOption(args);
    const { model, config, lengthSamples } = loadCheckedModel(modelPath);

    const extractor = await createMfccExtractor();
    const exampleSize = frameCount(lengthSamples) * N_MFCC;
    const features = new Float32Array(files.length * exampleSize);
    files.forEach((file, i) => {
      const wav = readWavFile(file);
      features.set(extractor.mfcc(wav.samples, wav.sampleRateHz, lengthSamples), i * exampleSize);
    });

    const open = await openBackend(backendName);
    let probs: Float64Array;
    try {
      const params = uploadStore(open.backend, config, { parameters: model.parameters, buffers: model.buffers }, modelPath);
      probs = await predictProbabilities(open.backend, config, params, features, frameCount(lengthSamples), CLASSIFY_BATCH);
    } finally {
      open.close();
    }

    const results: Classification[] = files.map((file, i) => {
      const row = probs.subarray(i * config.numClasses, (i + 1) * config.numClasses);
      const top = row.indexOf(Math.max(...row));
      return { file, label: model.labels[top]!, probs: Object.fromEntries(model.labels.map((label, c) => [label, row[c]!])) };
    });
    if (args.values.json === true) {
      io.out(JSON.stringify(results, null, 2));
      return;
    }
    for (const r of results) {
      const all = Object.entries(r.probs).map(([label, p]) => `${label} ${percent(p)}`);
      io.out(`${r.file}: ${r.label} ${percent(r.probs[r.label]!)} | ${all.join('  ')}`);
    }
  },
};
