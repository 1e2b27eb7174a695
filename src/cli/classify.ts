import { BACKEND_CHOICES } from '../api/open-backend.ts';
import type { BackendChoice, Classification, MsseModel, WindowResult } from '../api/types.ts';
import { SAMPLE_RATE_HZ } from '../audio/mfcc-settings.ts';
import { resampledLength } from '../audio/resample-reference.ts';
import type { DecodedWav } from '../audio/wav.ts';
import { FormatError, UsageError, WavError } from '../errors.ts';
import { loadModel } from '../node.ts';
import { readWavFile } from '../platform/node/wav-file.ts';
import { stringOption, threadsOption, type CliIO, type Command, type ParsedArgs } from './command.ts';
import { percent } from './training-run.ts';

/** One entry of `msse classify --json`: a file's classification, or with --timeline its windows. */
type FileResult = { readonly file: string } & (Classification | { readonly windows: readonly WindowResult[] });

/** Files decoded per classifyBatch call: the audio held at once is one call's, however many files are given. */
const FILES_PER_CALL = 64;

export const classifyCommand: Command = {
  name: 'classify',
  summary: 'the emotion in WAV files by a trained model: top label and every class probability',
  help: `usage: msse classify MODEL FILE.wav [FILE2.wav ...] [--json] [--timeline [--hop S]] [--backend NAME]
                      [--threads N]

Computes each file's MFCCs with the front end the model was trained with (its length included), runs the
network in inference mode (BatchNorm running statistics, no dropout) and prints, per file, the most probable
label and the probability of every class. The library's loadModel and classify do the same.

  --json           print a JSON array of {"file", "label", "probs": {label: probability}}
                   (with --timeline: {"file", "windows": [{"startSeconds", "endSeconds", "label", "probs"}]})
  --timeline       classify sliding windows of the model's length (4.35 s for EMO-DB), one row per window:
                   once per hop when a whole window has arrived, then the file's last window; a file no longer
                   than one window gives one row, the same as without --timeline
  --hop S          seconds between windows of --timeline (default 0.5)
  --skip-bad       leave out files that cannot be read as WAV (each is reported on stderr) instead of stopping
  --backend NAME   auto (default: WebGPU on a GPU, the WebAssembly backend where WebGPU is missing or a software
                   one such as Mesa llvmpipe), webgpu, wasm (WebAssembly SIMD128) or reference (float64 TypeScript)
  --threads N      threads of the wasm backend, 1 to 16 (default: the cores, up to 4); the same result at any count

A file longer than the model's window is cropped to its centre, as in training; a note on stderr says so
(--timeline classifies all of it).`,
  options: {
    json: { type: 'boolean' },
    backend: { type: 'string' },
    threads: { type: 'string' },
    timeline: { type: 'boolean' },
    hop: { type: 'string' },
    'skip-bad': { type: 'boolean' },
  },

  async run(args, io) {
    const [modelPath, ...files] = args.positionals;
    if (modelPath === undefined || files.length === 0) throw new UsageError('classify: expected MODEL and at least one WAV file');
    const hopSeconds = hopOption(args);
    const backend = backendChoice(args);
    // auto may pick the wasm backend, so --threads goes with it too.
    const threads = threadsOption(args, backend === 'auto' ? 'wasm' : backend);
    const model = await loadModel(modelPath, { backend, ...(threads === undefined ? {} : { threads }) });
    try {
      const read = (file: string) => readOrSkip(file, args.values['skip-bad'] === true, io);
      const results = args.values.timeline === true ? await timelines(model, files, hopSeconds, read) : await classifyAll(model, files, read, io);
      if (results.length === 0) throw new FormatError(`none of the ${files.length} files could be read as WAV`);
      print(results, args.values.json === true, io);
    } finally {
      model.dispose();
    }
  },
};

/** `--backend`: one of the library's backend choices, 'auto' when absent. */
function backendChoice(args: ParsedArgs): BackendChoice {
  const name = stringOption(args, 'backend') ?? 'auto';
  if (!(BACKEND_CHOICES as readonly string[]).includes(name)) {
    throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, got '${name}'`);
  }
  return name as BackendChoice;
}

/** A file's decoded audio, or undefined when it is skipped (reported on stderr). */
type Reader = (file: string) => DecodedWav | undefined;

/** Reads a WAV; with `skipBad` one that cannot be read is reported and skipped, not thrown. */
function readOrSkip(file: string, skipBad: boolean, io: CliIO): DecodedWav | undefined {
  try {
    return readWavFile(file);
  } catch (error) {
    if (!(skipBad && error instanceof WavError)) throw error;
    io.err(`msse: skipped ${error.line}`);
    return undefined;
  }
}

/** Every readable file classified, FILES_PER_CALL at a time; a note for each file longer than the model's window. */
async function classifyAll(model: MsseModel, files: readonly string[], read: Reader, io: CliIO): Promise<FileResult[]> {
  const windowSamples = model.frontEnd.lengthSamples;
  const out: FileResult[] = [];
  for (let first = 0; first < files.length; first += FILES_PER_CALL) {
    const batch = files.slice(first, first + FILES_PER_CALL).flatMap((file) => {
      const wav = read(file);
      return wav === undefined ? [] : [{ file, wav }];
    });
    for (const { file, wav } of batch) {
      if (resampledLength(wav.samples.length, wav.sampleRateHz) > windowSamples) {
        const seconds = (n: number, rateHz: number) => (n / rateHz).toFixed(2);
        io.err(
          `msse: note: ${file}: ${seconds(wav.samples.length, wav.sampleRateHz)} s is longer than the model's ` +
            `${seconds(windowSamples, SAMPLE_RATE_HZ)} s window; only its centre was classified (--timeline classifies all of it)`,
        );
      }
    }
    const results = await model.classifyBatch(batch.map(({ wav }) => ({ audio: wav.samples, sampleRateHz: wav.sampleRateHz })));
    batch.forEach(({ file }, i) => out.push({ file, ...results[i]! }));
  }
  return out;
}

async function timelines(model: MsseModel, files: readonly string[], hopSeconds: number | undefined, read: Reader): Promise<FileResult[]> {
  const out: FileResult[] = [];
  for (const file of files) {
    const wav = read(file);
    if (wav === undefined) continue;
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
