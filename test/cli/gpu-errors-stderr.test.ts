import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runMsse } from '../support/cli.ts';
import { linkEmodb } from '../support/emodb-subset.ts';
import { emodbWavDir } from '../support/paths.ts';

/**
 * A model of the longest length (60 s, 2584 frames) classifying nine files on WebGPU: nine at once would need a
 * TF-fusion buffer of 9 x 2584 x 39 x 39 float32 (141 MB), past llvmpipe's 128 MiB storage-binding limit. Before,
 * that was a GPU validation error whose raw `validation:` text Dawn printed to stdout, into `--json` output. Now the
 * library sizes its batches to the device (8 utterances here, then 1), so the run succeeds with clean JSON on stdout
 * and the same probabilities as the WebAssembly backend, which has no such limit.
 */
test('classify --json of long files on WebGPU: batches fit the device, stdout is clean JSON, same as wasm', { timeout: 180_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'msse-gpu-stderr-'));
  const data = linkEmodb(join(root, 'data'), { '03a01Wa.wav': '03a01Wa.wav', '03a01Fa.wav': '03a01Fa.wav' });
  const model = join(root, 'long.safetensors');
  const trained = runMsse(['train', '--data', data, '-o', model, '--length', '1323000', '--batch', '1', '--epochs', '1', '--dilations', '2', '--cache', join(root, 'cache'), '--quiet']);
  expect(trained.status, trained.stderr).toBe(0);

  const files = Array.from({ length: 9 }, () => join(emodbWavDir, '03a01Wa.wav'));
  const gpu = runMsse(['classify', model, ...files, '--json', '--backend', 'webgpu']);
  expect(gpu.stderr).not.toContain('validation:');
  expect(gpu.status, gpu.stderr).toBe(0);
  const wasm = runMsse(['classify', model, ...files, '--json', '--backend', 'wasm']);
  expect(wasm.status, wasm.stderr).toBe(0);
  type Row = { probs: Record<string, number> };
  const [got, want] = [JSON.parse(gpu.stdout) as Row[], JSON.parse(wasm.stdout) as Row[]];
  expect(got).toHaveLength(9);
  got.forEach((row, i) => {
    for (const [label, p] of Object.entries(want[i]!.probs)) expect(Math.abs(row.probs[label]! - p), label).toBeLessThan(1e-4);
  });
});
