import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCommandArgs, type CliIO } from '../../src/cli/command.ts';
import { commands } from '../../src/cli/commands.ts';
import { inspectCommand } from '../../src/cli/inspect.ts';
import { FormatError, UsageError } from '../../src/errors.ts';
import { saveModel } from '../../src/platform/node/model-file.ts';
import { type ModelContents } from '../../src/io/model-file.ts';

/** Runs `msse inspect ARGV…` in process, returning what it printed to stdout. */
async function inspect(argv: string[]): Promise<string[]> {
  const out: string[] = [];
  const io: CliIO = { out: (line) => out.push(line), err: (line) => out.push(`stderr: ${line}`), isTTY: false };
  await inspectCommand.run(parseCommandArgs(inspectCommand, argv), io);
  return out;
}

/** The error `inspect(argv)` rejects with; fails the test when it resolves. */
async function inspectError(argv: string[]): Promise<unknown> {
  try {
    await inspect(argv);
  } catch (error) {
    return error;
  }
  throw new Error('expected msse inspect to fail, but it succeeded');
}

const model: ModelContents = {
  parameters: new Map([
    ['fwd.tf.path1.conv.weight', { shape: [39, 1, 11, 1], data: new Float32Array(429) }],
    ['fwd.tab0.bn1.gamma', { shape: [39], data: new Float32Array(39).fill(1) }],
    ['fwd.tab0.bn1.beta', { shape: [39], data: new Float32Array(39) }],
    ['head.wsum', { shape: [8], data: new Float32Array(8) }],
  ]),
  buffers: new Map([
    ['fwd.tab0.bn1.running_mean', { shape: [39], data: new Float32Array(39) }],
    ['fwd.tab0.bn1.running_var', { shape: [39], data: new Float32Array(39).fill(1) }],
  ]),
  config: { feat: 39, numClasses: 2, tfKernels: [[11, 1], [1, 9], [3, 3]] },
  labels: ['anger', 'neutral'],
  frontEnd: { sampleRateHz: 22050, lengthSamples: 96000, padMode: 'constant' },
  provenance: { command: 'msse train --data emodb', seed: 46 },
};

const dir = mkdtempSync(join(tmpdir(), 'msse-inspect-'));
const path = join(dir, 'model.safetensors');
saveModel(path, model);

describe('msse inspect', () => {
  test('is registered', () => {
    expect(commands).toContain(inspectCommand);
  });

  test('lists every tensor, the parameter count without the BatchNorm buffers, and the metadata', async () => {
    const sizeBytes = statSync(path).size;
    expect(await inspect([path])).toEqual([
      `${path}: msse-model-v1, ${sizeBytes} bytes, 6 tensors`,
      '',
      'tensors (name, shape, elements; "buffer" marks BatchNorm running statistics):',
      '  fwd.tab0.bn1.beta          (39)             39',
      '  fwd.tab0.bn1.gamma         (39)             39',
      '  fwd.tab0.bn1.running_mean  (39)             39  buffer',
      '  fwd.tab0.bn1.running_var   (39)             39  buffer',
      '  fwd.tf.path1.conv.weight   (39, 1, 11, 1)  429',
      '  head.wsum                  (8)               8',
      '',
      'parameters: 515 in 4 tensors (excluding the BatchNorm running statistics: 78 values in 2 buffers)',
      'labels (2): anger, neutral',
      '',
      'config:',
      '  feat        39',
      '  numClasses  2',
      '  tfKernels   [[11,1],[1,9],[3,3]]',
      '',
      'front end:',
      '  sampleRateHz   22050',
      '  lengthSamples  96000',
      '  padMode        "constant"',
      '',
      'provenance:',
      '  command  "msse train --data emodb"',
      '  seed     46',
    ]);
  });

  test('--json prints the same as one JSON object', async () => {
    const out = await inspect(['--json', path]);
    expect(out).toHaveLength(1);
    const summary = JSON.parse(out[0]!);
    expect(summary).toEqual({
      file: path,
      format: 'msse-model-v1',
      sizeBytes: statSync(path).size,
      tensors: [
        { name: 'fwd.tab0.bn1.beta', kind: 'parameter', shape: [39], numElements: 39 },
        { name: 'fwd.tab0.bn1.gamma', kind: 'parameter', shape: [39], numElements: 39 },
        { name: 'fwd.tab0.bn1.running_mean', kind: 'buffer', shape: [39], numElements: 39 },
        { name: 'fwd.tab0.bn1.running_var', kind: 'buffer', shape: [39], numElements: 39 },
        { name: 'fwd.tf.path1.conv.weight', kind: 'parameter', shape: [39, 1, 11, 1], numElements: 429 },
        { name: 'head.wsum', kind: 'parameter', shape: [8], numElements: 8 },
      ],
      parameterCount: 515,
      bufferCount: 78,
      labels: model.labels,
      config: model.config,
      frontEnd: model.frontEnd,
      provenance: model.provenance,
    });
  });

  test('empty metadata objects and labels read as (none)', async () => {
    const bare = join(dir, 'bare.safetensors');
    saveModel(bare, { ...model, labels: [], config: {}, provenance: {} });
    const out = await inspect([bare]);
    expect(out.slice(11, 16)).toEqual(['labels (0): (none)', '', 'config:', '  (none)', '']);
    expect(out.slice(-2)).toEqual(['provenance:', '  (none)']);
  });

  test('a truncated model is a FormatError naming the file', async () => {
    const cut = join(dir, 'cut.safetensors');
    writeFileSync(cut, readFileSync(path).subarray(0, -4));
    const error = await inspectError([cut]);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as FormatError).line).toBe(`${cut}: truncated: the tensors need 2372 data bytes but 2368 follow the header`);
  });

  test('usage errors: --ops takes no MODEL, one MODEL is required otherwise', async () => {
    expect(await inspectError(['--ops', path])).toEqual(new UsageError('inspect --ops: takes no MODEL yet; it profiles a seeded EMO-DB model'));
    expect(await inspectError([])).toEqual(new UsageError('inspect: expected one MODEL file, got 0'));
    expect(await inspectError([path, path])).toEqual(new UsageError('inspect: expected one MODEL file, got 2'));
    expect(() => parseCommandArgs(inspectCommand, ['--bogus'])).toThrowError(/^inspect: Unknown option '--bogus'/);
  });
});
