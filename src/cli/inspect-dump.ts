import { createMfccExtractor, fileMfcc } from '../platform/node/mfcc.ts';
import { DEFAULT_LENGTH_SAMPLES, frameCount } from '../audio/mfcc-settings.ts';
import { readWavFile } from '../platform/node/wav-file.ts';
import { expectFitsBackend, openBackend } from '../platform/node/backends.ts';
import { largestTensorBytes } from '../model/pass-size.ts';
import { UsageError } from '../errors.ts';
import { writeOutputFile } from '../platform/node/output-file.ts';
import { prepareOutputs } from '../platform/node/prepare-outputs.ts';
import { float32LittleEndianBytes } from '../io/float32-file.ts';
import { EMODB_CONFIG } from '../model/config.ts';
import { msseForward } from '../model/msse.ts';
import { initParams } from '../model/params.ts';
import { counterUniform } from '../runtime/random.ts';
import { ForwardPass } from '../runtime/graph.ts';
import { formatShape } from '../runtime/tensor.ts';
import { loadCheckedModel } from '../platform/node/model-file.ts';
import { uploadStore } from '../infer/model-state.ts';
import { backendOption, stringOption, threadsOption, type CliIO, type OptionSpec, type ParsedArgs } from './command.ts';

export const dumpOptions: OptionSpec = {
  dump: { type: 'string' },
  wav: { type: 'string' },
  output: { type: 'string', short: 'o' },
  backend: { type: 'string' },
  threads: { type: 'string' },
};

export const dumpHelp = `
  --dump SITE -o OUT.f32   run one inference forward pass and write activation SITE (a golden site name such as
                 fwd.tf, fwd.se.excite, bwd.tab3, head.pooled, head.z, or logits) as little-endian float32, C order;
                 prints its shape. Weights from MODEL (else a seeded EMO-DB model); input the MFCCs of --wav FILE
                 (else seeded noise); --backend webgpu (default), wasm or reference. bwd.* sites are in reversed time.`;

/** `msse inspect [MODEL] --dump SITE -o OUT.f32 [--wav FILE]`: one forward pass, one activation written out. */
export async function inspectDump(args: ParsedArgs, io: CliIO): Promise<void> {
  const site = stringOption(args, 'dump')!.replace(/^act\./, '');
  const output = stringOption(args, 'output');
  if (output === undefined) throw new UsageError('inspect --dump: missing -o OUT.f32');
  if (args.positionals.length > 1) throw new UsageError(`inspect --dump: expected at most one MODEL, got ${args.positionals.length}`);
  const modelPath = args.positionals[0];
  const wavPath = stringOption(args, 'wav');
  const outputs = prepareOutputs([output], { inputs: [modelPath, wavPath].filter((p) => p !== undefined) });
  try {
    await dump(site, output, modelPath, wavPath, args, io);
  } finally {
    outputs.release();
  }
}

/** The forward pass and the write of inspectDump, its output already prepared. */
async function dump(site: string, output: string, modelPath: string | undefined, wavPath: string | undefined, args: ParsedArgs, io: CliIO): Promise<void> {
  const checked = modelPath === undefined ? undefined : loadCheckedModel(modelPath);
  const config = checked?.config ?? EMODB_CONFIG;
  const lengthSamples = checked?.lengthSamples ?? DEFAULT_LENGTH_SAMPLES;
  const frames = frameCount(lengthSamples);
  let input: Float32Array;
  if (wavPath === undefined) {
    input = Float32Array.from({ length: frames * config.feat }, (_, i) => 2 * counterUniform(1, 0, 0, 0, i) - 1);
  } else {
    const wav = readWavFile(wavPath);
    input = fileMfcc(await createMfccExtractor(), wavPath, wav, lengthSamples);
  }

  const backendName = backendOption(args);
  const open = await openBackend(backendName, { threads: threadsOption(args, backendName) });
  try {
    expectFitsBackend(open, largestTensorBytes(config, 1, frames, true), `one utterance of ${frames} frames`, 'use a model of a shorter length');
    const { backend } = open;
    const params =
      checked === undefined
        ? initParams(backend, config, 1)
        : uploadStore(backend, config, { parameters: checked.model.parameters, buffers: checked.model.buffers }, modelPath!);
    const x = backend.upload(input, [1, frames, config.feat], 'x', { transient: true });
    const { logits, activations } = msseForward(new ForwardPass(backend), config, params, x, { training: false, concatenatedSites: true });
    activations.set('logits', logits);
    const tensor = activations.get(site);
    if (tensor === undefined) throw new UsageError(`inspect --dump: no site '${site}'; sites: ${[...activations.keys()].join(', ')}`);
    writeOutputFile(output, float32LittleEndianBytes(Float32Array.from(await backend.read(tensor))));
    io.out(`${site} ${formatShape(tensor.shape)} float32 -> ${output}`);
  } finally {
    open.close();
  }
}
