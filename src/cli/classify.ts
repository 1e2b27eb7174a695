import type { Classification, MsseModel, WindowResult } from '../api/types.ts';
import { UsageError } from '../errors.ts';
import { loadModel } from '../node.ts';
import { readWavFile } from '../platform/node/wav-file.ts';
import { backendOption, type CliIO, type Command, type ParsedArgs } from './command.ts';
import { percent } from './training-run.ts';

/** One entry of `msse classify --json`: a file's classification, or with --timeline its windows. */
type FileResult = { readonly file: string } & (Classification | { readonly windows: readonly WindowResult[] });

export const classifyCommand: Command = {
  name: 'classify',
  summary: 'the emotion in WAV files by a trained model: top label and every class probability',
  help: `usage: msse classify MODEL FILE.wav [FILE2.wav ...] [--json] [--timeline [--hop S]] [--backend webgpu|reference]

Computes each file's MFCCs with the front end the model was trained with (its length included), runs the
network in inference mode (BatchNorm running statistics, no dropout) and prints, per file, the most probable
label and the probability of every class. The library's loadModel and classify do the same.

  --json           print a JSON array of {"file", "label", "probs": {label: probability}}
                   (with --timeline: {"file", "windows": [{"startSeconds", "endSeconds", "label", "probs"}]})
  --timeline       classify sliding windows of the model's length (4.35 s for EMO-DB), one row per window:
                   once per hop when a whole window has arrived, then the file's last window; a file no longer
                   than one window gives one row, the same as without --timeline
  --hop S          seconds between windows of --timeline (default 0.5)
  --backend NAME   webgpu (default) or reference (float64 TypeScript)`,
  options: { json: { type: 'boolean' }, backend: { type: 'string' }, timeline: { type: 'boolean' }, hop: { type: 'string' } },

  async run(args, io) {
    const [modelPath, ...files] = args.positionals;
    if (modelPath === undefined || files.length === 0) throw new UsageError('classify: expected MODEL and at least one WAV file');
    const hopSeconds = hopOption(args);
    const backend = backendOption(args);
    const model = await loadModel(modelPath, { backend });
    try {
      const results = args.values.timeline === true ? await timelines(model, files, hopSeconds) : await classifyAll(model, files);
      print(results, args.values.json === true, io);
    } finally {
      model.dispose();
    }
  },
};

async function classifyAll(model: MsseModel, files: readonly string[]): Promise<FileResult[]> {
  const inputs = files.map((file) => readWavFile(file)).map((wav) => ({ audio: wav.samples, sampleRateHz: wav.sampleRateHz }));
  const results = await model.classifyBatch(inputs);
  return files.map((file, i) => ({ file, ...results[i]! }));
}

async function timelines(model: MsseModel, files: readonly string[], hopSeconds: number | undefined): Promise<FileResult[]> {
  const out: FileResult[] = [];
  for (const file of files) {
    const wav = readWavFile(file);
    const windows: WindowResult[] = [];
    const stream = model.stream({ sampleRateHz: wav.sampleRateHz, hopSeconds, onResult: (r) => windows.push(r) });
    await stream.push(wav.samples);
    await stream.end();
    out.push({ file, windows });
  }
  return out;
}

function hopOption(args: ParsedArgs): number | undefined {
  const text = args.values.hop;
  if (text === undefined) return undefined;
  if (args.values.timeline !== true) throw new UsageError('--hop needs --timeline');
  const hop = Number(text);
  if (typeof text !== 'string' || !(Number.isFinite(hop) && hop > 0)) throw new UsageError(`--hop must be a positive number of seconds, got '${String(text)}'`);
  return hop;
}

function print(results: readonly FileResult[], json: boolean, io: CliIO): void {
  if (json) {
    io.out(JSON.stringify(results, null, 2));
    return;
  }
  const line = (r: Classification) => {
    const all = Object.entries(r.probs).map(([label, p]) => `${label} ${percent(p)}`);
    return `${r.label} ${percent(r.probs[r.label]!)} | ${all.join('  ')}`;
  };
  for (const r of results) {
    if (!('windows' in r)) {
      io.out(`${r.file}: ${line(r)}`);
      continue;
    }
    for (const w of r.windows) io.out(`${r.file} ${w.startSeconds.toFixed(2)}-${w.endSeconds.toFixed(2)} s: ${line(w)}`);
  }
}
