import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FormatError, InternalError } from '../../src/errors.ts';
import { loadModel, saveModel } from '../../src/platform/node/model-file.ts';
import { decodeModel, encodeModel, expectFrontEnd, type ModelContents } from '../../src/io/model-file.ts';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.ts';
import { thrown } from '../support/thrown.ts';

const frontEnd = { sampleRateHz: 22050, nFft: 2048, hopLength: 512, nMels: 128, nMfcc: 39, topDb: 80, lengthSamples: 96000, padMode: 'constant' };

/** A small model in the msse naming scheme: a conv, a BatchNorm with its running statistics, a dense head. */
const model: ModelContents = {
  parameters: new Map([
    ['fwd.tab0.conv1.weight', { shape: [2, 2, 2], data: Float32Array.of(0.5, -1.25, 3, 4, 1e-7, -0, 7, 8) }],
    ['fwd.tab0.conv1.bias', { shape: [2], data: Float32Array.of(0.1, 0.2) }],
    ['fwd.tab0.bn1.gamma', { shape: [2], data: Float32Array.of(1, 1) }],
    ['fwd.tab0.bn1.beta', { shape: [2], data: Float32Array.of(0, 0) }],
    ['head.wsum', { shape: [1], data: Float32Array.of(0.03) }],
    ['head.dense.weight', { shape: [3, 2], data: Float32Array.of(1, 2, 3, 4, 5, 6) }],
    ['head.dense.bias', { shape: [3], data: Float32Array.of(0, 0, 0) }],
  ]),
  buffers: new Map([
    ['fwd.tab0.bn1.running_mean', { shape: [2], data: Float32Array.of(0.25, -0.5) }],
    ['fwd.tab0.bn1.running_var', { shape: [2], data: Float32Array.of(1.5, 2) }],
  ]),
  config: { feat: 2, filters: 2, numClasses: 3, numDilations: 1, tfKernels: [[11, 1], [1, 9], [3, 3]], adam: { lr: 0.001 } },
  labels: ['anger', 'boredom', 'neutral'],
  frontEnd,
  provenance: { command: 'msse train --data emodb -o m.safetensors', seed: 46, epochs: 300, msse: '0.1.0' },
};

const scratch = (): string => mkdtempSync(join(tmpdir(), 'msse-model-'));

/** The model's bytes with some metadata values replaced (undefined removes the key). */
function withMetadata(changes: Record<string, string | undefined>): Uint8Array {
  const { tensors, metadata } = decodeSafetensors(encodeModel(model), 'm');
  const changed: Record<string, string> = { ...metadata };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete changed[key];
    else changed[key] = value;
  }
  return encodeSafetensors([...tensors].map(([name, tensor]) => ({ name, ...tensor })), changed);
}

describe('saveModel / loadModel', () => {
  test('round trip: parameters, buffers, config, labels, front end and provenance come back as saved', () => {
    const dir = scratch();
    const path = join(dir, 'm.safetensors');
    saveModel(path, model);
    expect(readdirSync(dir)).toEqual(['m.safetensors']); // written atomically: no temporary file left behind
    const loaded = loadModel(path);
    expect(loaded.file).toBe(path);
    expect(new Set(loaded.parameters.keys())).toEqual(new Set(model.parameters.keys()));
    expect(new Set(loaded.buffers.keys())).toEqual(new Set(model.buffers.keys()));
    for (const [name, tensor] of [...model.parameters, ...model.buffers]) {
      const got = loaded.parameters.get(name) ?? loaded.buffers.get(name);
      expect(got, name).toEqual(tensor);
      expect(Object.is(got!.data[5], tensor.data[5]), `${name}: -0 kept`).toBe(true);
    }
    expect(loaded.config).toEqual(model.config);
    expect(loaded.labels).toEqual(model.labels);
    expect(loaded.frontEnd).toEqual(model.frontEnd);
    expect(loaded.provenance).toEqual(model.provenance);
  });

  test('the file is plain safetensors: F32 tensors under their names, metadata as JSON strings, format tag', () => {
    const { tensors, metadata } = decodeSafetensors(encodeModel(model), 'm');
    expect([...tensors.keys()]).toEqual([...model.parameters.keys(), ...model.buffers.keys()].sort());
    expect([...tensors.values()].every((t) => t.dtype === 'F32')).toBe(true);
    expect(metadata).toEqual({
      format: 'msse-model-v1',
      config: '{"feat":2,"filters":2,"numClasses":3,"numDilations":1,"tfKernels":[[11,1],[1,9],[3,3]],"adam":{"lr":0.001}}',
      labels: '["anger","boredom","neutral"]',
      front_end: JSON.stringify(frontEnd),
      provenance: JSON.stringify(model.provenance),
      buffers: '["fwd.tab0.bn1.running_mean","fwd.tab0.bn1.running_var"]',
    });
  });

  test('saving rejects a name that is both a parameter and a buffer (InternalError)', () => {
    const clash = { ...model, buffers: new Map([['head.wsum', { shape: [1], data: Float32Array.of(1) }]]) };
    expect(() => encodeModel(clash)).toThrowError(new InternalError('model: "head.wsum" is both a parameter and a buffer'));
  });
});

describe('loadModel rejects files that are not complete msse models, naming the file', () => {
  test('a missing file', () => {
    const path = join(scratch(), 'none.safetensors');
    expect(thrown(FormatError, () => loadModel(path)).line).toBe(`${path}: cannot read file: no such file (ENOENT)`);
  });

  test('a folder', () => {
    const path = scratch();
    expect(thrown(FormatError, () => loadModel(path)).line).toBe(`${path}: cannot read file: is a directory (EISDIR)`);
  });

  test('not a safetensors file (a WAV header: "RIFF", size 0x24 read as the u64 0x24_46464952)', () => {
    const path = join(scratch(), 'a.wav');
    writeFileSync(path, Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'));
    expect(thrown(FormatError, () => loadModel(path)).line).toBe(
      `${path}: header length 155797834066 bytes is over safetensors' limit of 100000000; not a safetensors file`,
    );
  });

  test('a truncated model says truncated, with the byte counts', () => {
    const dir = scratch();
    const whole = join(dir, 'whole.safetensors');
    saveModel(whole, model);
    const bytes = readFileSync(whole);
    const path = join(dir, 'cut.safetensors');
    writeFileSync(path, bytes.subarray(0, bytes.length - 10));
    const dataBytes = (8 + 2 + 2 + 2 + 1 + 6 + 3 + 2 + 2) * 4; // 28 float32 elements
    expect(thrown(FormatError, () => loadModel(path)).line).toBe(
      `${path}: truncated: the tensors need ${dataBytes} data bytes but ${dataBytes - 10} follow the header`,
    );
  });

  const notOurs: { name: string; changes: Record<string, string | undefined>; message: string }[] = [
    { name: 'no format', changes: { format: undefined }, message: 'not an msse model: no "format" in the metadata; expected "msse-model-v1"' },
    { name: 'another format', changes: { format: 'pt' }, message: 'not an msse model: metadata format is "pt"; expected "msse-model-v1"' },
    {
      name: 'a later msse format',
      changes: { format: 'msse-model-v2' },
      message: 'model format "msse-model-v2" is not supported by this msse; expected "msse-model-v1"',
    },
    { name: 'config missing', changes: { config: undefined }, message: 'metadata "config" is missing' },
    { name: 'labels missing', changes: { labels: undefined }, message: 'metadata "labels" is missing' },
    { name: 'front end missing', changes: { front_end: undefined }, message: 'metadata "front_end" is missing' },
    { name: 'provenance missing', changes: { provenance: undefined }, message: 'metadata "provenance" is missing' },
    { name: 'buffers missing', changes: { buffers: undefined }, message: 'metadata "buffers" is missing' },
    { name: 'config not JSON', changes: { config: '{"feat": 39,' }, message: 'metadata "config" is not valid JSON' },
    { name: 'front end not JSON', changes: { front_end: "{'nMfcc': 39}" }, message: 'metadata "front_end" is not valid JSON' },
    { name: 'config an array', changes: { config: '[39]' }, message: 'metadata "config" is not a JSON object' },
    { name: 'provenance null', changes: { provenance: 'null' }, message: 'metadata "provenance" is not a JSON object' },
    { name: 'labels an object', changes: { labels: '{"0":"anger"}' }, message: 'metadata "labels" is not a JSON array of strings' },
    { name: 'labels numbers', changes: { labels: '[0,1,2]' }, message: 'metadata "labels" is not a JSON array of strings' },
    {
      name: 'a buffer that is not a tensor',
      changes: { buffers: '["fwd.tab0.bn1.running_mean","fwd.tab0.bn9.running_var"]' },
      message: 'metadata "buffers" names "fwd.tab0.bn9.running_var", which is not a tensor in the file',
    },
  ];

  test.each(notOurs)('$name', ({ changes, message }) => {
    expect(thrown(FormatError, () => decodeModel(withMetadata(changes), 'm.safetensors')).line).toBe(`m.safetensors: ${message}`);
  });

  test('a tensor that is not F32', () => {
    const { metadata } = decodeSafetensors(encodeModel(model), 'm');
    const bytes = encodeSafetensors([{ name: 'steps', dtype: 'I32', shape: [1], data: Int32Array.of(3) }], { ...metadata, buffers: '[]' });
    expect(thrown(FormatError, () => decodeModel(bytes, 'm.safetensors')).line).toBe('m.safetensors: tensor "steps" is I32; msse models store F32 only');
  });
});

describe('expectFrontEnd', () => {
  const path = join(scratch(), 'm.safetensors');
  saveModel(path, model);
  const loaded = loadModel(path);

  test('the same settings pass, whatever their order', () => {
    expect(() => expectFrontEnd(loaded, Object.fromEntries(Object.entries(frontEnd).reverse()))).not.toThrow();
  });

  test('one differing setting is named with both values', () => {
    const error = thrown(FormatError, () => expectFrontEnd(loaded, { ...frontEnd, lengthSamples: 44100 }));
    expect(error.line).toBe(`${path}: model is for another front end: lengthSamples is 96000 in the model but 44100 here`);
  });

  test('every difference is named: changed, missing from the model, absent here', () => {
    const { padMode: _dropped, ...withoutPadMode } = frontEnd;
    const error = thrown(FormatError, () => expectFrontEnd(loaded, { ...withoutPadMode, nMfcc: 20, preEmphasis: 0.97 }));
    expect(error.line).toBe(
      `${path}: model is for another front end: nMfcc is 39 in the model but 20 here; ` +
        'preEmphasis is missing in the model but 0.97 here; padMode is "constant" in the model but absent here',
    );
  });
});
