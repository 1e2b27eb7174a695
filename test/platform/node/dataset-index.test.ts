import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { FormatError } from '../../../src/errors.ts';
import { EMODB_LABELS } from '../../../src/train/emodb-names.ts';
import { loadDatasetIndex } from '../../../src/platform/node/dataset.ts';
import { sharedPath } from '../../support/paths.ts';
import { thrown } from '../../support/thrown.ts';

const folders: string[] = [];
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh folder holding `files` (name -> text); WAV content does not matter to the index. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'msse-dataset-'));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const EXPECTED_CODES = 'expected one of W (anger), L (boredom), E (disgust), A (fear), F (happiness), T (sadness), N (neutral), or a labels.csv in the folder';

describe('EMO-DB names', () => {
  test('the shared EMO-DB copy: 535 files, the 7 classes in fixed order with their known counts, 10 speakers', () => {
    const dir = sharedPath('data', 'emodb', 'wav');
    const index = loadDatasetIndex(dir);
    expect(index.source).toBe('emodb-names');
    expect(index.labels).toEqual(['anger', 'boredom', 'disgust', 'fear', 'happiness', 'sadness', 'neutral']);
    expect(index.entries.length).toBe(535);
    const counts = index.labels.map((_, c) => index.entries.filter((e) => e.label === c).length);
    expect(counts).toEqual([127, 81, 46, 69, 71, 62, 79]); // W L E A F T N
    expect(new Set(index.entries.map((e) => e.speaker)).size).toBe(10);
    expect(index.entries[0]).toEqual({ file: '03a01Fa.wav', path: join(dir, '03a01Fa.wav'), label: 4, speaker: '03' });
    expect(index.skipped).toEqual([]);
  });

  test('entries are sorted by name whatever the directory order; other files are ignored', () => {
    const dir = folder({ '16b10Wb.wav': '', '03a01Nc.wav': '', 'notes.txt': '', '03a01Fa.WAV': '' });
    const index = loadDatasetIndex(dir);
    expect(index.entries.map((e) => [e.file, EMODB_LABELS[e.label]])).toEqual([
      ['03a01Fa.WAV', 'happiness'],
      ['03a01Nc.wav', 'neutral'],
      ['16b10Wb.wav', 'anger'],
    ]);
    expect(index.labels).toEqual(EMODB_LABELS); // a subset keeps all 7 classes
  });

  test('an unknown emotion code names the file and the character', () => {
    const dir = folder({ '03a01Fa.wav': '', '03a01Xa.wav': '' });
    expect(thrown(FormatError, () => loadDatasetIndex(dir)).line).toBe(`${join(dir, '03a01Xa.wav')}: unknown EMO-DB emotion code 'X' (6th character); ${EXPECTED_CODES}`);
  });

  test('a name too short to hold a code', () => {
    const dir = folder({ 'a.wav': '' });
    expect(thrown(FormatError, () => loadDatasetIndex(dir)).line).toBe(`${join(dir, 'a.wav')}: name too short for an EMO-DB name; ${EXPECTED_CODES}`);
  });

  test('skipBad leaves unknown names out and says why', () => {
    const dir = folder({ '03a01Fa.wav': '', 'speech.wav': '' });
    const index = loadDatasetIndex(dir, { skipBad: true });
    expect(index.entries.map((e) => e.file)).toEqual(['03a01Fa.wav']);
    expect(index.skipped).toEqual([{ file: join(dir, 'speech.wav'), reason: `unknown EMO-DB emotion code 'h' (6th character); ${EXPECTED_CODES}` }]);
  });

  test('expected labels reorder the classes and must all have examples', () => {
    const dir = folder({ '03a01Fa.wav': '', '03a01Wa.wav': '' });
    const index = loadDatasetIndex(dir, { expectedLabels: ['happiness', 'anger'] });
    expect(index.labels).toEqual(['happiness', 'anger']);
    expect(index.entries.map((e) => e.label)).toEqual([0, 1]);
    expect(thrown(FormatError, () => loadDatasetIndex(dir, { expectedLabels: ['happiness', 'anger', 'fear'] })).line).toBe(
      `${dir}: no examples of 'fear'; expected every class of happiness, anger, fear`,
    );
    expect(thrown(FormatError, () => loadDatasetIndex(dir, { expectedLabels: ['anger'] })).line).toBe(
      `${join(dir, '03a01Fa.wav')}: EMO-DB label 'happiness' is not one of the expected labels (anger)`,
    );
  });

  test('an empty folder and a missing folder', () => {
    const empty = folder({ 'readme.txt': '' });
    expect(thrown(FormatError, () => loadDatasetIndex(empty)).line).toBe(
      `${empty}: no WAV files and no labels.csv; expected EMO-DB-named .wav files or a labels.csv (file,label[,speaker])`,
    );
    const missing = join(empty, 'nope');
    expect(thrown(FormatError, () => loadDatasetIndex(missing)).line).toBe(`${missing}: cannot read the data folder (ENOENT); expected a folder of WAV files`);
  });
});

describe('labels.csv', () => {
  test('labels in order of first appearance; paths relative to the folder; speakers from the third column', () => {
    const dir = folder({ 'a.wav': '', 'b.wav': '', 'c.wav': '', 'labels.csv': 'file,label,speaker\nb.wav,calm,s2\na.wav,angry,s1\nsub/c.wav,calm\n' });
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'c.wav'), '');
    const index = loadDatasetIndex(dir);
    expect(index.source).toBe('labels.csv');
    expect(index.labels).toEqual(['calm', 'angry']);
    expect(index.entries).toEqual([
      { file: 'b.wav', path: join(dir, 'b.wav'), label: 0, speaker: 's2' },
      { file: 'a.wav', path: join(dir, 'a.wav'), label: 1, speaker: 's1' },
      { file: 'sub/c.wav', path: join(dir, 'sub', 'c.wav'), label: 0, speaker: undefined },
    ]);
  });

  test('labels.csv wins over EMO-DB names; unlisted WAVs are ignored', () => {
    const dir = folder({ '03a01Fa.wav': '', '03a01Wa.wav': '', 'labels.csv': '03a01Fa.wav,joy\n' });
    const index = loadDatasetIndex(dir);
    expect(index.labels).toEqual(['joy']);
    expect(index.entries.map((e) => e.file)).toEqual(['03a01Fa.wav']);
  });

  test('a row naming a missing file names the line; skipBad leaves it out', () => {
    const dir = folder({ 'a.wav': '', 'labels.csv': 'file,label\na.wav,x\nmissing.wav,y\n' });
    const csv = join(dir, 'labels.csv');
    expect(thrown(FormatError, () => loadDatasetIndex(dir)).line).toBe(`${csv}: line 3: no such file 'missing.wav' in the data folder`);
    const index = loadDatasetIndex(dir, { skipBad: true });
    expect(index.entries.map((e) => e.file)).toEqual(['a.wav']);
    expect(index.skipped).toEqual([{ file: join(dir, 'missing.wav'), reason: "line 3: no such file 'missing.wav' in the data folder" }]);
  });

  test('a file listed twice (even spelled differently) names both lines', () => {
    const dir = folder({ 'a.wav': '', 'labels.csv': 'a.wav,x\n./a.wav,y\n' });
    expect(thrown(FormatError, () => loadDatasetIndex(dir)).line).toBe(`${join(dir, 'labels.csv')}: line 2: './a.wav' is already listed on line 1`);
  });

  test('a malformed row is a FormatError naming labels.csv and the line', () => {
    const dir = folder({ 'a.wav': '', 'labels.csv': 'a.wav,x\na.wav;y\n' });
    expect(thrown(FormatError, () => loadDatasetIndex(dir)).line).toBe(`${join(dir, 'labels.csv')}: line 2: 1 field; expected file,label[,speaker]`);
  });

  test('a labels.csv that cannot be read', () => {
    const dir = folder({ 'a.wav': '' });
    mkdirSync(join(dir, 'labels.csv'));
    expect(thrown(FormatError, () => loadDatasetIndex(dir)).line).toBe(`${join(dir, 'labels.csv')}: cannot read (EISDIR); expected a file,label[,speaker] list`);
  });

  test('a labels.csv with a header only', () => {
    const dir = folder({ 'labels.csv': 'file,label\n' });
    expect(thrown(FormatError, () => loadDatasetIndex(dir)).line).toBe(`${join(dir, 'labels.csv')}: no rows; expected file,label[,speaker] lines`);
  });

  test('expected labels: a label outside them, and an expected label without examples', () => {
    const dir = folder({ 'a.wav': '', 'b.wav': '', 'labels.csv': 'a.wav,x\nb.wav,z\n' });
    const csv = join(dir, 'labels.csv');
    expect(thrown(FormatError, () => loadDatasetIndex(dir, { expectedLabels: ['x', 'y'] })).line).toBe(
      `${csv}: line 2: label 'z' is not one of the expected labels (x, y)`,
    );
    expect(thrown(FormatError, () => loadDatasetIndex(dir, { expectedLabels: ['z', 'y', 'x', 'w'] })).line).toBe(
      `${csv}: no examples of 'y', 'w'; expected every class of z, y, x, w`,
    );
    expect(loadDatasetIndex(dir, { expectedLabels: ['z', 'x'] }).entries.map((e) => e.label)).toEqual([1, 0]);
  });
});
