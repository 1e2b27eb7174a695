import { describe, expect, test } from 'vitest';
import { FormatError } from '../../src/errors.ts';
import { parseLabelsCsv } from '../../src/train/labels-csv.ts';
import { thrown } from '../support/thrown.ts';

const rows = (text: string): [number, string, string, string | undefined][] =>
  parseLabelsCsv(text, 'labels.csv').map((r) => [r.line, r.file, r.label, r.speaker]);

describe('parseLabelsCsv', () => {
  test('a header (first field not a .wav) is dropped; lines keep their numbers', () => {
    expect(rows('file,label,speaker\na.wav,anger,s1\nb.wav,fear,s2\n')).toEqual([
      [2, 'a.wav', 'anger', 's1'],
      [3, 'b.wav', 'fear', 's2'],
    ]);
  });

  test('without a header the first line is data; the speaker column is optional per row', () => {
    expect(rows('a.WAV,anger\nb.wav,fear,s2')).toEqual([
      [1, 'a.WAV', 'anger', undefined],
      [2, 'b.wav', 'fear', 's2'],
    ]);
  });

  test('quoted fields keep commas, doubled quotes and spaces; unquoted fields are trimmed', () => {
    expect(rows('"x, y.wav" , "sad ""really""" ,  s 1 \n')).toEqual([[1, 'x, y.wav', 'sad "really"', 's 1']]);
  });

  test('CRLF, a BOM and blank lines', () => {
    expect(rows('\uFEFFfile,label\r\n\r\na.wav,anger\r\n   \r\nb.wav,fear\r\n')).toEqual([
      [3, 'a.wav', 'anger', undefined],
      [5, 'b.wav', 'fear', undefined],
    ]);
  });

  test('a quoted newline belongs to the field; the next row keeps its own line number', () => {
    expect(rows('"a\nb.wav",anger\nc.wav,fear')).toEqual([
      [1, 'a\nb.wav', 'anger', undefined],
      [3, 'c.wav', 'fear', undefined],
    ]);
  });

  test('an empty file has no rows', () => {
    expect(rows('')).toEqual([]);
    expect(rows('file,label\n')).toEqual([]);
  });

  test.each([
    { name: 'one field', text: 'file,label\na.wav,anger\nb.wav\n', message: 'line 3: 1 field; expected file,label[,speaker]' },
    { name: 'four fields', text: 'a.wav,anger,s1,extra', message: 'line 1: 4 fields; expected file,label[,speaker]' },
    { name: 'empty label', text: 'a.wav,anger\nb.wav, \n', message: 'line 2: empty label field; expected file,label[,speaker]' },
    { name: 'blank quoted label', text: 'a.wav,anger\nb.wav," "\n', message: 'line 2: empty label field; expected file,label[,speaker]' },
    { name: 'empty file', text: 'a.wav,anger\n,fear\n', message: 'line 2: empty file field; expected file,label[,speaker]' },
    {
      name: 'unterminated quote',
      text: 'a.wav,anger\n"b.wav,fear\nc.wav,sad\n',
      message: 'line 2: quoted field not closed before the end of the file',
    },
    {
      name: 'quote inside an unquoted field',
      text: 'a.wav,ang"er\n',
      message: 'line 1: quote inside an unquoted field; quote the whole field and double inner quotes ("")',
    },
    {
      name: 'text after a closing quote',
      text: 'a.wav,anger\n"b.wav"x,fear\n',
      message: "line 2: 'x' after a closing quote; expected a comma or the end of the line",
    },
  ])('$name is a FormatError naming the file and line', ({ text, message }) => {
    const error = thrown(FormatError, () => parseLabelsCsv(text, '/data/labels.csv'));
    expect(error.line).toBe(`/data/labels.csv: ${message}`);
  });
});
