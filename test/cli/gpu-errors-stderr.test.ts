import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runMsse } from '../support/cli.ts';
import { linkEmodb } from '../support/emodb-subset.ts';
import { emodbWavDir } from '../support/paths.ts';

/**
 * A GPU validation error is one `msse:` line on stderr and nothing on stdout (before, Dawn printed the raw
 * `validation:` text of every error that escaped an error scope to stdout, into `--json` output). The error here:
 * a model of the longest length (60 s, 2584 frames) classified nine files at once, whose TF-fusion buffer
 * (9 x 2584 x 39 x 39 float32, 141 MB) is past the 128 MiB storage-binding limit of llvmpipe.
 */
test('classify --json on a batch the device cannot bind: stdout stays empty, stderr is one msse line', { timeout: 120_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'msse-gpu-stderr-'));
  const data = linkEmodb(join(root, 'data'), { '03a01Wa.wav': '03a01Wa.wav', '03a01Fa.wav': '03a01Fa.wav' });
  const model = join(root, 'long.safetensors');
  const trained = runMsse(['train', '--data', data, '-o', model, '--length', '1323000', '--batch', '1', '--epochs', '1', '--dilations', '2', '--cache', join(root, 'cache'), '--quiet']);
  expect(trained.status, trained.stderr).toBe(0);

  const result = runMsse(['classify', model, ...Array.from({ length: 9 }, () => join(emodbWavDir, '03a01Wa.wav')), '--json', '--backend', 'webgpu']);
  expect(result.stdout).toBe('');
  expect(result.status).toBe(1);
  const lines = result.stderr.split('\n').filter((line) => line.startsWith('msse: '));
  expect(lines).toHaveLength(1);
  expect(result.stderr).not.toContain('validation:');
});
