import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FormatError } from '../../src/errors.ts';
import { checkModel } from '../../src/infer/checked-model.ts';
import type { Float32Tensor, LoadedModel } from '../../src/io/model-file.ts';
import { loadModel, saveModel } from '../../src/platform/node/model-file.ts';
import { runMsse } from '../support/cli.ts';
import { emodbWavDir, repoRoot } from '../support/paths.ts';
import { thrown } from '../support/thrown.ts';

const shipped = loadModel(join(repoRoot, 'models', 'emodb.safetensors'));
const file = shipped.file;

/** The shipped model with one tensor's element `index` set to `value`. */
function poisoned(group: 'parameters' | 'buffers', name: string, index: number, value: number): LoadedModel {
  const tensors = new Map(shipped[group]);
  const { shape, data } = tensors.get(name)!;
  const copy = Float32Array.from(data);
  copy[index] = value;
  tensors.set(name, { shape, data: copy } satisfies Float32Tensor);
  return { ...shipped, [group]: tensors };
}

describe('checkModel refuses what would give wrong results', () => {
  test('the shipped model passes', () => {
    expect(checkModel(shipped).config.numClasses).toBe(7);
  });

  test.each([
    ['a NaN weight', 'parameters', 'head.dense.weight', 5, NaN, 'tensor "head.dense.weight" holds NaN at element 5; expected finite values'],
    ['an infinite bias', 'parameters', 'head.dense.bias', 0, -Infinity, 'tensor "head.dense.bias" holds -Infinity at element 0; expected finite values'],
    ['an infinite BatchNorm variance', 'buffers', 'fwd.tab1.bn2.running_var', 3, Infinity, 'tensor "fwd.tab1.bn2.running_var" holds Infinity at element 3; expected finite values'],
  ] as const)('%s', (_, group, name, index, value, message) => {
    expect(thrown(FormatError, () => checkModel(poisoned(group, name, index, value))).line).toBe(`${file}: ${message}`);
  });

  test.each([
    ['a repeated label', ['anger', 'boredom', 'anger', 'fear', 'happiness', 'sadness', 'neutral'], 'label "anger" is class 0 and class 2; expected distinct labels'],
    ['an empty label', ['anger', 'boredom', 'disgust', '', 'happiness', 'sadness', 'neutral'], 'label 3 is ""; expected a non-empty class name'],
    ['a blank label', ['anger', 'boredom', 'disgust', 'fear', 'happiness', 'sadness', ' '], 'label 6 is " "; expected a non-empty class name'],
  ])('%s', (_, labels, message) => {
    expect(thrown(FormatError, () => checkModel({ ...shipped, labels })).line).toBe(`${file}: ${message}`);
  });

  test('a front-end length past the cap', () => {
    const model = { ...shipped, frontEnd: { ...shipped.frontEnd, lengthSamples: 100_000_000 } };
    expect(thrown(FormatError, () => checkModel(model)).line).toBe(`${file}: front end lengthSamples is 100000000; expected at most 1323000 (60 s at 22050 Hz)`);
  });

  test('msse classify: one line naming the model and the tensor, not `undefined NaN%`', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'msse-checked-')), 'nan.safetensors');
    saveModel(path, poisoned('buffers', 'fwd.tab0.bn1.running_mean', 0, NaN));
    const result = runMsse(['classify', path, join(emodbWavDir, '03a01Wa.wav'), '--backend', 'reference']);
    expect(result.stderr).toBe(`msse: ${path}: tensor "fwd.tab0.bn1.running_mean" holds NaN at element 0; expected finite values\n`);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(1);
    const twice = join(mkdtempSync(join(tmpdir(), 'msse-checked-')), 'twice.safetensors');
    saveModel(twice, { ...shipped, labels: ['a', 'a', 'b', 'c', 'd', 'e', 'f'] });
    expect(runMsse(['classify', twice, join(emodbWavDir, '03a01Wa.wav'), '--json', '--backend', 'reference']).stderr).toBe(
      `msse: ${twice}: label "a" is class 0 and class 1; expected distinct labels\n`,
    );
  });
});
