import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { cvFiguresFor, type TrainingProtocol } from '../../src/train/cv-figures.ts';
import { readCvReport } from '../../src/train/cv-report.ts';
import { EMODB_LABELS } from '../../src/train/emodb-names.ts';
import { loadCheckedModel } from '../../src/platform/node/model-file.ts';
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

  test('carries the figures of reports/emodb-10fold.json, a full 10-fold, 200-epoch run of the same protocol', () => {
    const reportPath = 'reports/emodb-10fold.json';
    const report = readCvReport(join(repoRoot, reportPath));
    const { model: loaded, config } = loadCheckedModel(model);
    const { data_sha256, seed, epochs, batch_size } = loaded.provenance as Omit<TrainingProtocol, 'network' | 'front_end'>;
    expect(report.folds.map((f) => f.fold)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(report.folds.every((f) => f.curve.length === 200)).toBe(true);
    expect([report.config.folds, report.config.seed, report.config.epochs]).toEqual([10, 46, 200]);
    const protocol = { data_sha256, seed, epochs, batch_size, network: config, front_end: loaded.frontEnd };
    expect(loaded.provenance.cv).toEqual(cvFiguresFor(report, reportPath, protocol));
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
