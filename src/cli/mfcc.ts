import { existsSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { DEFAULT_LENGTH_SAMPLES, MAX_LENGTH_SAMPLES, N_MFCC } from '../audio/mfcc-settings.ts';
import { createMfccExtractor, fileMfcc } from '../platform/node/mfcc.ts';
import { readWavFile } from '../platform/node/wav-file.ts';
import { UsageError } from '../errors.ts';
import { writeOutputFile } from '../platform/node/output-file.ts';
import { prepareOutputs } from '../platform/node/prepare-outputs.ts';
import { float32LittleEndianBytes } from '../io/float32-file.ts';
import { integerOption, stringOption, type Command } from './command.ts';
import { Progress } from './progress.ts';
import { turnEventLoop } from '../train/event-loop.ts';

export const mfccCommand: Command = {
  name: 'mfcc',
  summary: 'WAV -> 39 MFCCs per frame (little-endian float32, frames x 39)',
  help: `usage: msse mfcc IN.wav [IN2.wav ...] -o OUT [--length N]

Computes the TIM-Net/MS-SENet front end with the WebAssembly module: resample to 22050 Hz,
pad or centre-crop to N samples, STFT (2048, hop 512, periodic Hann), 128 Slaney mel bands,
power-to-dB (top_db 80), orthonormal DCT-II, first 39 coefficients.

  -o, --output OUT   one input: the output file; several inputs: a folder, one OUT/<stem>.f32 each
  --length N         signal length in samples at 22050 Hz (default ${DEFAULT_LENGTH_SAMPLES}, EMO-DB);
                     frames = 1 + floor(N / 512)

Output: raw little-endian float32, frames-major (frame t, coefficient c at t*39 + c), no header.
Prints one line per file with the shape.`,
  options: { output: { type: 'string', short: 'o' }, length: { type: 'string' } },

  async run(args, io) {
    const inputs = args.positionals;
    const output = stringOption(args, 'output');
    if (inputs.length === 0) throw new UsageError('mfcc: no input WAV files given');
    if (output === undefined) throw new UsageError('mfcc: missing -o OUT');
    const lengthSamples = integerOption(args, 'length', DEFAULT_LENGTH_SAMPLES, 1, MAX_LENGTH_SAMPLES);
    const targets = outputPaths(inputs, output);
    const outputs = prepareOutputs(targets, { inputs });
    try {
      const extractor = await createMfccExtractor();
      const progress = new Progress(io, 'mfcc', inputs.length);
      for (const [i, input] of inputs.entries()) {
        const wav = readWavFile(input);
        const features = fileMfcc(extractor, input, wav, lengthSamples);
        writeOutputFile(targets[i]!, float32LittleEndianBytes(features));
        progress.update(i + 1, basename(input));
        io.out(`${input} -> ${targets[i]} (${features.length / N_MFCC} x ${N_MFCC} float32)`);
        await turnEventLoop();
      }
      progress.finish();
    } finally {
      outputs.release();
    }
  },
};

/** One input writes OUT itself (unless OUT is an existing folder); several write OUT/<stem>.f32 each. */
function outputPaths(inputs: readonly string[], output: string): string[] {
  const isFolder = inputs.length > 1 || output.endsWith('/') || (existsSync(output) && statSync(output).isDirectory());
  if (!isFolder) return [output];
  const byStem = new Map<string, string>();
  return inputs.map((input) => {
    const stem = basename(input, extname(input));
    const previous = byStem.get(stem);
    if (previous !== undefined) {
      throw new UsageError(`mfcc: ${previous} and ${input} would both write ${stem}.f32; rename one or run them separately`);
    }
    byStem.set(stem, input);
    return join(output, `${stem}.f32`);
  });
}
