import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runMsse } from '../support/cli.ts';
import { emodbWavDir, repoRoot } from '../support/paths.ts';

const model = join(repoRoot, 'models', 'emodb.safetensors');
const file = join(emodbWavDir, '03a01Wa.wav');

describe('msse classify --timeline', () => {
  test('a file no longer than the window is one window, the same as plain classify', () => {
    const plain = JSON.parse(runMsse(['classify', model, file, '--json']).stdout) as [{ label: string; probs: Record<string, number> }];
    const run = runMsse(['classify', model, file, '--timeline', '--json']);
    expect(run.status).toBe(0);
    const [{ windows }] = JSON.parse(run.stdout) as [{ windows: { startSeconds: number; endSeconds: number; label: string; probs: Record<string, number> }[] }];
    expect(windows.map((w) => [w.startSeconds, w.endSeconds])).toEqual([[0, 2]]);
    expect(windows[0]!.label).toBe(plain[0].label);
    for (const [label, p] of Object.entries(plain[0].probs)) expect(Math.abs(windows[0]!.probs[label]! - p)).toBeLessThan(1e-6);
    const text = runMsse(['classify', model, file, '--timeline']);
    expect(text.stdout.trim()).toMatch(/^.*03a01Wa\.wav 0\.00-2\.00 s: anger \d+\.\d% \| anger/);
  });

  test.each([
    [['--hop', '0.5'], 'msse: --hop needs --timeline'],
    [['--timeline', '--hop', '0'], "msse: --hop must be a positive number of seconds, got '0'"],
  ])('%j is a usage error', (extra, message) => {
    const run = runMsse(['classify', model, file, ...extra]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(message);
  });
});
