import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadCheckpoint } from '../../src/train/checkpoint.ts';
import { runMsse } from '../support/cli.ts';
import { linkEmodb } from '../support/emodb-subset.ts';

/**
 * Training that diverges stops at the step where a value stops being finite, names the epoch and step, and never
 * writes a diverged state over the last good checkpoint (before: `--lr 1e9` ended in `argmaxRows: NaN score in row 0`).
 */
const root = mkdtempSync(join(tmpdir(), 'msse-diverge-'));
const data = linkEmodb(join(root, 'data'), { '03a01Wa.wav': '03a01Wa.wav', '03a02Wb.wav': '03a02Wb.wav', '03a01Fa.wav': '03a01Fa.wav', '03a01Nc.wav': '03a01Nc.wav' });
const SMALL = ['--length', '8192', '--dilations', '2', '--batch', '2', '--cache', join(root, 'cache'), '--quiet'];

describe('a diverging run stops at once', () => {
  test('train (reference backend, float64): the line names epoch and step; neither checkpoint nor model is written', () => {
    const model = join(root, 'ref', 'model.safetensors');
    const result = runMsse(['train', '--data', data, '-o', model, '--epochs', '3', '--lr', '1e70', '--backend', 'reference', ...SMALL]);
    expect(result.stderr).toBe('msse: training diverged at epoch 1, step 2: the loss is NaN; a lower learning rate may help\n');
    expect(result.status).toBe(1);
    expect(existsSync(model)).toBe(false);
    expect(existsSync(`${model}.ckpt`)).toBe(false);
  });

  test('cv: the same line, no report', () => {
    const report = join(root, 'cv', 'report.json');
    const result = runMsse(['cv', '--data', data, '--report', report, '--folds', '2', '--epochs', '2', '--lr', '1e70', '--backend', 'reference', ...SMALL]);
    // Fold 1 trains on two files (one step), then its test predictions are NaN. The lines before warn of classes
    // with fewer examples than folds.
    expect(result.stderr.trim().split('\n').at(-1)).toBe('msse: training diverged at epoch 1, step 1: a predicted probability is not finite; a lower learning rate may help');
    expect(result.status).toBe(1);
    expect(existsSync(report)).toBe(false);
  });

  test('train (webgpu, float32): diverging after some epochs leaves the checkpoint of the epoch before, every value finite', () => {
    const model = join(root, 'gpu', 'model.safetensors');
    const result = runMsse(['train', '--data', data, '-o', model, '--epochs', '8', '--lr', '5000', ...SMALL]);
    const line = result.stderr.split('\n').find((l) => l.startsWith('msse: '));
    const match = /^msse: training diverged at epoch (\d+), step (\d+): .+; a lower learning rate may help$/.exec(line ?? '');
    expect(match, result.stderr).not.toBeNull();
    expect(result.status).toBe(1);
    expect(existsSync(model)).toBe(false);
    const epoch = Number(match![1]);
    expect(epoch).toBeGreaterThan(1); // on llvmpipe: epoch 5, step 10
    const checkpoint = loadCheckpoint(`${model}.ckpt`);
    expect(checkpoint.state.epoch).toBe(epoch - 1);
    for (const tensor of [...checkpoint.state.store.parameters.values(), ...checkpoint.state.store.buffers.values()]) {
      expect(tensor.data.every(Number.isFinite)).toBe(true);
    }
  });
});
