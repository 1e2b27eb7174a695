import { describe, expect, test } from 'vitest';
import { GpuError } from '../../../src/errors.ts';
import { expectPassFits } from '../../../src/backends/webgpu/pass-fits.ts';
import { EMODB_CONFIG } from '../../../src/model/config.ts';
import { largestTensorBytes } from '../../../src/model/pass-size.ts';
import { runMsse } from '../../support/cli.ts';
import { emodbWavDir } from '../../support/paths.ts';
import { thrown } from '../../support/thrown.ts';

/**
 * A pass whose largest buffer a device cannot bind is refused before any work, saying which option to lower
 * (before: `--length 1000000` classified or trained for minutes, then failed on the 128 MiB storage-binding limit).
 */
const LIMITS = { maxStorageBufferBindingSize: 134_217_728, maxBufferSize: 2_147_483_648 };

describe('largestTensorBytes and expectPassFits', () => {
  test('the TF-fusion path output (B, T, F, C) float32; x3 with the concatenated sites', () => {
    expect(largestTensorBytes(EMODB_CONFIG, 64, 188)).toBe(4 * 64 * 188 * 39 * 39);
    expect(largestTensorBytes(EMODB_CONFIG, 1, 188, true)).toBe(4 * 188 * 3 * 39 * 39);
  });

  test('the paper\'s batch of 64 x 188 frames (73 MB) fits 128 MiB', () => {
    expectPassFits(LIMITS, largestTensorBytes(EMODB_CONFIG, 64, 188), 'a training batch', 'lower --batch');
  });

  test.each([
    [21, 1954, 'a training batch of 21 x 1954 frames needs a 238.1 MiB buffer; this device allows 128.0 MiB (maxStorageBufferBindingSize); lower --batch or --length'],
    [64, 1954, 'a training batch of 64 x 1954 frames needs a 725.6 MiB buffer; this device allows 128.0 MiB (maxStorageBufferBindingSize); lower --batch or --length'],
  ])('batch %i x %i frames is refused', (batch, frames, message) => {
    const error = thrown(GpuError, () =>
      expectPassFits(LIMITS, largestTensorBytes(EMODB_CONFIG, batch, frames), `a training batch of ${batch} x ${frames} frames`, 'lower --batch or --length'),
    );
    expect(error.line).toBe(message);
  });
});

describe('through the CLI, on this machine\'s device', () => {
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  const limit = /this device allows [\d.]+ MiB \((maxStorageBufferBindingSize|maxBufferSize)\)/.source;

  test('train: refused before the features are computed', () => {
    const bytes = largestTensorBytes(EMODB_CONFIG, 65536, 2584);
    const result = runMsse(['train', '--data', emodbWavDir, '-o', '/tmp/never.safetensors', '--batch', '65536', '--length', '1323000', '--cache', '/nonexistent/cache']);
    const line = result.stderr.split('\n').find((l) => l.startsWith('msse: '));
    expect(line).toMatch(new RegExp(`^msse: a training batch of 65536 x 2584 frames needs a ${mib(bytes)} MiB buffer; ${limit}; lower --batch or --length$`));
    expect(result.stdout).toBe('');
    expect(result.status).toBe(1);
  });

  test('inspect --ops: refused before the pass', () => {
    const bytes = largestTensorBytes(EMODB_CONFIG, 65536, 2584);
    const result = runMsse(['inspect', '--ops', '--batch', '65536', '--frames', '2584']);
    const line = result.stderr.split('\n').find((l) => l.startsWith('msse: '));
    expect(line).toMatch(new RegExp(`^msse: a pass of batch 65536 x 2584 frames needs a ${mib(bytes)} MiB buffer; ${limit}; lower --batch or --frames$`));
    expect(result.status).toBe(1);
  });
});
