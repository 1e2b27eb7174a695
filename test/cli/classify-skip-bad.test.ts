import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readWavFile } from '../../src/platform/node/wav-file.ts';
import { buildWav } from '../audio/wav-corpus.ts';
import { runMsse } from '../support/cli.ts';
import { emodbWavDir, repoRoot } from '../support/paths.ts';

/**
 * `msse classify` with files that are not all good: `--skip-bad` reports an unreadable one and classifies the rest
 * (before, one bad file gave no results at all); a file longer than the model's window gets a note that only its
 * centre was classified. The shipped model's window is 96000 samples at 22050 Hz, 4.35 s.
 */
const dir = mkdtempSync(join(tmpdir(), 'msse-classify-bad-'));
const model = join(repoRoot, 'models', 'emodb.safetensors');
const good = [join(emodbWavDir, '03a01Wa.wav'), join(emodbWavDir, '03a01Fa.wav')];
const text = join(dir, 'notes.wav');
writeFileSync(text, 'this is not audio');
const fast = join(dir, 'fast.wav');
writeFileSync(fast, buildWav({ format: 'PCM', bits: 16, rateHz: 500_000_000, samples: [1, 2, 3, 4] }));
const REF = ['--backend', 'reference'];

describe('--skip-bad', () => {
  test('one unreadable file among others is reported on stderr; the others are classified', () => {
    const result = runMsse(['classify', model, good[0]!, text, fast, good[1]!, '--json', '--skip-bad', ...REF]);
    expect(result.stderr).toBe(
      `msse: skipped ${text}: not a RIFF/WAVE file (starts with "this"); expected "RIFF"\n` +
        `msse: skipped ${fast}: sample rate 500000000 Hz; expected at most 1000000 Hz (1 MHz)\n`,
    );
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as { file: string }[]).map((r) => r.file)).toEqual(good);
  });

  test('without it the first bad file stops the run with its line; with only bad files it says so', () => {
    const stopped = runMsse(['classify', model, good[0]!, fast, ...REF]);
    expect(stopped.stderr).toBe(`msse: ${fast}: sample rate 500000000 Hz; expected at most 1000000 Hz (1 MHz)\n`);
    expect(stopped.status).toBe(1);
    const none = runMsse(['classify', model, text, '--skip-bad', ...REF]);
    expect(none.stderr).toBe(`msse: skipped ${text}: not a RIFF/WAVE file (starts with "this"); expected "RIFF"\nmsse: none of the 1 files could be read as WAV\n`);
    expect(none.status).toBe(1);
  });
});

test('a file longer than the window: a note on stderr, and its centre classified', () => {
  const wav = readWavFile(good[0]!);
  const pcm = Array.from({ length: 3 * wav.samples.length }, (_, i) => Math.round(wav.samples[i % wav.samples.length]! * 32767));
  const long = join(dir, 'long.wav');
  writeFileSync(long, buildWav({ format: 'PCM', bits: 16, rateHz: wav.sampleRateHz, samples: pcm }));
  const seconds = ((3 * wav.samples.length) / wav.sampleRateHz).toFixed(2);
  const result = runMsse(['classify', model, long, good[0]!, ...REF]);
  expect(result.stderr).toBe(`msse: note: ${long}: ${seconds} s is longer than the model's 4.35 s window; only its centre was classified (--timeline classifies all of it)\n`);
  expect(result.status).toBe(0);
  expect(result.stdout.split('\n').filter((l) => l !== '')).toHaveLength(2);
});
