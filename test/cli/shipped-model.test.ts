import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMODB_LABELS } from '../../src/train/emodb-names.ts';
import { loadCheckedModel } from '../../src/train/model-state.ts';
import { runMsse } from '../support/cli.ts';
import { repoRoot, sharedPath } from '../support/paths.ts';

const model = join(repoRoot, 'models', 'emodb.safetensors');

describe('models/emodb.safetensors, the shipped model', () => {
  test('is an msse model for the EMO-DB front end, with its training command in the metadata', () => {
    const { model: loaded, config, lengthSamples } = loadCheckedModel(model);
    expect(loaded.labels).toEqual([...EMODB_LABELS]);
    expect([config.numClasses, config.numDilations, lengthSamples]).toEqual([7, 8, 96000]);
    expect(JSON.stringify(loaded.provenance)).toContain('msse train');
  });

  test('carries the figures of reports/emodb-10fold.json, a full 10-fold, 200-epoch run on the same data', () => {
    const report = JSON.parse(readFileSync(join(repoRoot, 'reports', 'emodb-10fold.json'), 'utf8'));
    const { provenance } = loadCheckedModel(model).model;
    expect(report.folds.map((f: { fold: number }) => f.fold)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(report.folds.every((f: { curve: unknown[] }) => f.curve.length === 200)).toBe(true);
    expect([report.config.folds, report.config.seed, report.config.epochs]).toEqual([10, 46, 200]);
    expect(provenance.data_sha256).toBe(report.config.data_sha256);
    expect(provenance.cv).toMatchObject({ report: 'reports/emodb-10fold.json', last: report.summary.last });
  });

  test('msse classify --json gives every class a probability, summing to 1', () => {
    const wavs = ['03a01Wa', '12a05Ta'].map((stem) => sharedPath('data', 'emodb', 'wav', `${stem}.wav`));
    const result = runMsse(['classify', model, ...wavs, '--json']);
    expect(result.status).toBe(0);
    const rows = JSON.parse(result.stdout) as { file: string; label: string; probs: Record<string, number> }[];
    expect(rows.map((r) => r.file)).toEqual(wavs);
    for (const row of rows) {
      expect(Object.keys(row.probs)).toEqual([...EMODB_LABELS]);
      expect(Object.values(row.probs).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(row.label).toBe(EMODB_LABELS[Object.values(row.probs).indexOf(Math.max(...Object.values(row.probs)))]);
    }
  }, 60_000);
});
