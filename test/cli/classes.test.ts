import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runMsse } from '../support/cli.ts';
import { linkEmodb } from '../support/emodb-subset.ts';
import { emodbWavDir } from '../support/paths.ts';

/**
 * What training needs of a data set's classes, checked before any training: at least two classes with examples
 * (before: one class trained, `classify` then refused the model and `cv` reported 100%), and for cv a warning for
 * each class with fewer examples than folds.
 */
const root = mkdtempSync(join(tmpdir(), 'msse-classes-'));
const SMALL = ['--length', '8192', '--dilations', '2', '--batch', '4', '--backend', 'reference', '--cache', join(root, 'cache'), '--quiet'];

/** A labels.csv folder: `rows` of [link name, EMO-DB file, label]. */
function labelledFolder(name: string, rows: [string, string, string][]): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [link, target] of rows) symlinkSync(join(emodbWavDir, target), join(dir, link));
  writeFileSync(join(dir, 'labels.csv'), rows.map(([link, , label]) => `${link},${label}\n`).join(''));
  return dir;
}

describe('fewer than two classes are refused before training', () => {
  const angerOnly = linkEmodb(join(root, 'anger'), { '03a01Wa.wav': '03a01Wa.wav', '03a02Wc.wav': '03a02Wc.wav' });
  const oneLabel = labelledFolder('one-label', [
    ['a.wav', '03a01Wa.wav', 'calm'],
    ['b.wav', '03a01Fa.wav', 'calm'],
  ]);

  test.each([
    ['train, EMO-DB names', ['train', '--data', angerOnly, '-o', join(root, 'm1.safetensors')], `${angerOnly}: only one class has examples ('anger': 2)`],
    ['cv, EMO-DB names', ['cv', '--data', angerOnly, '--report', join(root, 'r1.json'), '--folds', '2'], `${angerOnly}: only one class has examples ('anger': 2)`],
    ['train, labels.csv', ['train', '--data', oneLabel, '-o', join(root, 'm2.safetensors')], `${join(oneLabel, 'labels.csv')}: only one class has examples ('calm': 2)`],
  ])('%s', (_, args, message) => {
    const result = runMsse([...args, '--epochs', '1', ...SMALL]);
    expect(result.stderr).toBe(`msse: ${message}; training needs at least two classes\n`);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(1);
  });
});

test('cv warns of each class with fewer examples than folds, on stderr, and still runs', () => {
  const dir = labelledFolder('uneven', [
    ['a1.wav', '03a01Wa.wav', 'loud'],
    ['a2.wav', '03a02Wc.wav', 'loud'],
    ['a3.wav', '03a04Wc.wav', 'loud'],
    ['b1.wav', '03a01Nc.wav', 'quiet'],
  ]);
  const result = runMsse(['cv', '--data', dir, '--report', join(root, 'uneven.json'), '--folds', '3', '--epochs', '1', ...SMALL]);
  expect(result.stderr).toBe("msse: warning: class 'quiet' has 1 example, fewer than the 3 folds; some test folds have none of it\n");
  expect(result.status).toBe(0);
});
