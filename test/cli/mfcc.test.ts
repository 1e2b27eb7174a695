import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { float32FromLittleEndian } from '../../src/io/float32-file.ts';
import { runMsse } from '../support/cli.ts';
import { mfccErrors } from '../support/mfcc-errors.ts';
import { emodbWavDir, sharedPath } from '../support/paths.ts';

const goldenStems = ['03a01Wa', '08a01Lc', '09a01Ea', '10a01Ac', '11a02Fb', '12a05Ta', '13a01Nb', '16a01Wb'];

describe('msse mfcc', () => {
  test('every golden EMO-DB WAV in one call matches golden/mfcc (c0 <= 2.5e-3, c1..c38 <= 1e-3)', () => {
    const out = mkdtempSync(join(tmpdir(), 'msse-mfcc-'));
    const inputs = goldenStems.map((stem) => sharedPath('data', 'emodb', 'wav', `${stem}.wav`));
    const result = runMsse(['mfcc', ...inputs, '-o', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(goldenStems.length);
    expect(result.stdout).toContain(`${inputs[0]} -> ${join(out, '03a01Wa.f32')} (188 x 39 float32)`);
    for (const stem of goldenStems) {
      const got = float32FromLittleEndian(readFileSync(join(out, `${stem}.f32`)));
      const ref = float32FromLittleEndian(readFileSync(sharedPath('golden', 'mfcc', `${stem}.mfcc.f32`)));
      expect(got.length).toBe(188 * 39);
      const errors = mfccErrors(got, ref);
      expect(errors.c0, stem).toBeLessThanOrEqual(2.5e-3);
      expect(errors.rest, stem).toBeLessThanOrEqual(1e-3);
    }
    expect(readdirSync(out).sort()).toEqual(goldenStems.map((s) => `${s}.f32`).sort());
  });

  test('one input writes one file; --length changes the frame count', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'msse-mfcc-')), 'one.f32');
    const result = runMsse(['mfcc', join(emodbWavDir, '03a01Wa.wav'), '-o', out, '--length', '44100']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('(87 x 39 float32)');
    expect(readFileSync(out).byteLength).toBe(87 * 39 * 4);
  });

  test('a bad WAV gives one line naming the file, exit 1, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'msse-mfcc-'));
    const bad = join(dir, 'notes.wav');
    writeFileSync(bad, 'this is not audio');
    const result = runMsse(['mfcc', bad, '-o', join(dir, 'x.f32')]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^msse: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    expect(result.stderr).not.toContain('    at ');
  });

  test('a missing file and usage errors', () => {
    const missing = runMsse(['mfcc', '/nonexistent/a.wav', '-o', '/tmp/x.f32']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^msse: \/nonexistent\/a\.wav: /);
    expect(runMsse(['mfcc', join(emodbWavDir, '03a01Wa.wav')]).stderr).toBe('msse: mfcc: missing -o OUT\n');
    const badLength = runMsse(['mfcc', join(emodbWavDir, '03a01Wa.wav'), '-o', '/tmp/x.f32', '--length', 'abc']);
    expect(badLength.stderr).toBe("msse: --length must be an integer from 1 to 1323000, got 'abc'\n");
    expect(badLength.status).toBe(2);
    expect(runMsse(['mfcc', '--bogus']).stderr).toMatch(/^msse: mfcc: Unknown option '--bogus'/);
  });
});
