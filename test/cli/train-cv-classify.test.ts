import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FRONT_END_SETTINGS } from '../../src/audio/mfcc-settings.ts';
import { loadModel, saveModel } from '../../src/platform/node/model-file.ts';
import { type LoadedModel } from '../../src/io/model-file.ts';
import { loadCheckpoint } from '../../src/train/checkpoint.ts';
import { EMODB_LABELS } from '../../src/train/emodb-names.ts';
import { killMsseWhen, runMsse } from '../support/cli.ts';
import { linkEmodb, pickEmodb } from '../support/emodb-subset.ts';
import { repoRoot } from '../support/paths.ts';
import { readWavFile } from '../../src/platform/node/wav-file.ts';

/**
 * `msse train`, `cv` and `classify` end to end, through bin/msse.js, on 14 EMO-DB files (2 per emotion) with the
 * small settings that keep this file fast: 8192 samples (17 frames), 2 TABs per direction, batch 4.
 */
const root = mkdtempSync(join(tmpdir(), 'msse-train-cli-'));
const cache = join(root, 'cache');
const SMALL = ['--length', '8192', '--dilations', '2', '--batch', '4', '--cache', cache];
const REFERENCE = [...SMALL, '--backend', 'reference'];

/** A fresh folder under the test's temp dir holding symlinks to EMO-DB files (under their own or new names). */
const dataDir = (name: string, files: Record<string, string>): string => linkEmodb(join(root, name), files);

const subset = pickEmodb(2);
const emodb = dataDir('emodb', Object.fromEntries(subset.map((n) => [n, n])));

/** Every tensor of a model as bytes, by name (parameters and buffers). */
function tensorBytes(model: LoadedModel): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [name, t] of [...model.parameters, ...model.buffers]) out[name] = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return out;
}

describe('msse train', () => {
  const model = join(root, 'same', 'model.safetensors');
  const trainArgs = ['train', '--data', emodb, '-o', model, '--epochs', '3', ...REFERENCE];

  test('the same command twice writes the same bytes; the metadata holds config, EMO-DB labels, front end, provenance', () => {
    const first = runMsse(trainArgs);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^data: 14 files \(anger 2, boredom 2, disgust 2, fear 2, happiness 2, sadness 2, neutral 2\), 17 frames x 39 MFCCs; features: \d+ cached, \d+ computed$/,
    );
    for (const epoch of [1, 2, 3]) expect(lines[epoch]).toMatch(new RegExp(`^epoch ${epoch}/3  loss \\d\\.\\d{4}  acc \\d+\\.\\d%  \\d+\\.\\ds  ETA \\d+\\.\\ds$`));
    expect(lines[4]).toBe(`wrote ${model} (3 epochs, 14 files, 7 classes)`);
    const bytes = readFileSync(model);

    const second = runMsse(trainArgs);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/features: 14 cached, 0 computed/);
    expect(readFileSync(model).equals(bytes)).toBe(true);

    const loaded = loadModel(model);
    expect(loaded.labels).toEqual(['anger', 'boredom', 'disgust', 'fear', 'happiness', 'sadness', 'neutral']);
    expect(loaded.frontEnd).toEqual({ ...FRONT_END_SETTINGS, lengthSamples: 8192 });
    expect(loaded.config).toMatchObject({ numClasses: 7, numDilations: 2, labelSmoothing: 0.1, adam: { lr: 1e-3, beta1: 0.93, beta2: 0.98, eps: 1e-8 } });
    const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    expect(loaded.provenance).toMatchObject({ seed: 46, epochs: 3, batch_size: 4, steps: 12, samples: 14, backend: 'reference', msse_version: version });
    expect(loaded.provenance.command).toBe(`msse train --data ${emodb} --output ${model} --epochs 3 ${REFERENCE.join(' ')}`);
    expect(loaded.parameters.get('head.dense.weight')!.shape).toEqual([7, 39]);
    expect(loaded.buffers.has('fwd.tab1.bn2.running_var')).toBe(true);
    expect(loadCheckpoint(`${model}.ckpt`).state).toMatchObject({ epoch: 3, step: 12 });
  });

  test('killed after its first checkpoint and resumed, a run ends with the same model as an uninterrupted one', async () => {
    const dir = join(root, 'killed');
    const resumed = join(dir, 'model.safetensors');
    const checkpoint = `${resumed}.ckpt`;
    const args = ['train', '--data', emodb, '-o', resumed, '--epochs', '3', ...REFERENCE];
    expect(await killMsseWhen(args, () => existsSync(checkpoint))).toBe('SIGKILL');
    expect(existsSync(resumed)).toBe(false);
    const killedAfter = loadCheckpoint(checkpoint).state.epoch;
    expect(killedAfter).toBeGreaterThanOrEqual(1);
    expect(killedAfter).toBeLessThan(3);

    const result = runMsse([...args, '--resume']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`resuming after epoch ${killedAfter} (step ${killedAfter * 4}) from ${checkpoint}`);
    expect(result.stdout).not.toContain('epoch 1/3');
    const [a, b] = [loadModel(model), loadModel(resumed)];
    expect(tensorBytes(b)).toEqual(tensorBytes(a));
    expect([b.config, b.labels, b.frontEnd]).toEqual([a.config, a.labels, a.frontEnd]);
  });

  test('--resume refuses a checkpoint of another run, and needs one', () => {
    const other = runMsse([...trainArgs.map((x) => (x === model ? join(root, 'same', 'other.safetensors') : x)), '--seed', '7', '--resume', '--checkpoint', `${model}.ckpt`]);
    expect(other.stderr).toBe(`msse: ${model}.ckpt: checkpoint is from another run: seed is 46 in the checkpoint but 7 here\n`);
    expect(other.status).toBe(1);
    const none = runMsse(['train', '--data', emodb, '-o', join(root, 'none.safetensors'), '--resume', ...REFERENCE]);
    expect(none.stderr).toBe(`msse: train: --resume but no checkpoint at ${join(root, 'none.safetensors')}.ckpt; run without --resume to start afresh\n`);
    expect(none.status).toBe(2);
  });

  test('webgpu: the same seed gives the same bytes', () => {
    const out = join(root, 'webgpu', 'model.safetensors');
    const args = ['train', '--data', emodb, '-o', out, '--epochs', '1', '--quiet', ...SMALL];
    const first = runMsse(args);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe(`wrote ${out} (1 epoch, 14 files, 7 classes)\n`);
    const bytes = readFileSync(out);
    expect(runMsse(args).status).toBe(0);
    expect(readFileSync(out).equals(bytes)).toBe(true);
    expect(loadModel(out).provenance.backend).toBe('webgpu');
  });

  test('usage errors', () => {
    const cases: [string[], string][] = [
      [['train', '--data', emodb], 'msse: train: missing -o MODEL'],
      [['train', '-o', 'm.safetensors'], 'msse: train: missing --data DIR'],
      [['train', '--data', emodb, '-o', 'm', '--lr', 'fast'], "msse: --lr must be a positive number, got 'fast'"],
      [['train', '--data', emodb, '-o', 'm', '--backend', 'cuda'], "msse: --backend must be one of webgpu, wasm, reference, got 'cuda'"],
      [['train', '--data', emodb, '-o', 'm', '--batch', '0'], "msse: --batch must be an integer from 1 to 65536, got '0'"],
      [['train', '--data', emodb, '-o', 'm', '--seed', '4294967296'], 'msse: seed 4294967296; expected an integer from 0 to 4294967295'],
      [['train', emodb, '-o', 'm'], `msse: train: unexpected argument '${emodb}'; the data folder goes after --data`],
    ];
    for (const [args, message] of cases) {
      const result = runMsse(args);
      expect(result.stderr, args.join(' ')).toBe(`${message}\n`);
      expect(result.status).toBe(2);
    }
  });
});

describe('bad data', () => {
  const [good] = subset;

  test('an unknown EMO-DB emotion code stops training, or is skipped with --skip-bad', () => {
    const dir = dataDir('unknown-code', { ...Object.fromEntries(pickEmodb(1).map((n) => [n, n])), '03a01Xa.wav': good! });
    const out = join(root, 'unknown-code.safetensors');
    const stopped = runMsse(['train', '--data', dir, '-o', out, '--epochs', '1', ...REFERENCE]);
    const reason =
      "unknown EMO-DB emotion code 'X' (6th character); expected one of W (anger), L (boredom), E (disgust), A (fear), F (happiness), T (sadness), N (neutral), or a labels.csv in the folder";
    expect(stopped.stderr).toBe(`msse: ${join(dir, '03a01Xa.wav')}: ${reason}\n`);
    expect(stopped.status).toBe(1);
    const skipped = runMsse(['train', '--data', dir, '-o', out, '--epochs', '1', '--skip-bad', '--quiet', ...REFERENCE]);
    expect(skipped.stderr).toBe(`msse: skipped ${join(dir, '03a01Xa.wav')}: ${reason}\n`);
    expect(skipped.stdout).toBe(`wrote ${out} (1 epoch, 7 files, 7 classes)\n`);
  });

  test('labels.csv: a missing file or an unreadable WAV stops training, or is skipped with --skip-bad', () => {
    const [a, b, c, d] = subset;
    const dir = dataDir('csv', { 'a.wav': a!, 'b.wav': b!, 'c.wav': c!, 'd.wav': d! });
    writeFileSync(join(dir, 'bad.wav'), 'this is not audio');
    const rows = ['a.wav,happy', 'b.wav,sad', 'c.wav,happy', 'd.wav,sad'];
    const out = join(root, 'csv.safetensors');
    const train = (...extra: string[]) => runMsse(['train', '--data', dir, '-o', out, '--epochs', '1', '--quiet', ...REFERENCE, ...extra]);

    writeFileSync(join(dir, 'labels.csv'), [...rows, 'gone.wav,sad', ''].join('\n'));
    expect(train().stderr).toBe(`msse: ${join(dir, 'labels.csv')}: line 5: no such file 'gone.wav' in the data folder\n`);
    writeFileSync(join(dir, 'labels.csv'), [...rows, 'bad.wav,sad', ''].join('\n'));
    const badWav = train();
    expect(badWav.stderr).toBe(`msse: ${join(dir, 'bad.wav')}: not a RIFF/WAVE file (starts with "this"); expected "RIFF"\n`);
    expect(badWav.status).toBe(1);

    writeFileSync(join(dir, 'labels.csv'), [...rows, 'gone.wav,sad', 'bad.wav,sad', ''].join('\n'));
    const skipped = train('--skip-bad');
    expect(skipped.stderr).toBe(
      `msse: skipped ${join(dir, 'gone.wav')}: line 5: no such file 'gone.wav' in the data folder\n` +
        `msse: skipped ${join(dir, 'bad.wav')}: not a RIFF/WAVE file (starts with "this"); expected "RIFF"\n`,
    );
    expect(skipped.stdout).toBe(`wrote ${out} (1 epoch, 4 files, 2 classes)\n`);
    expect(loadModel(out).labels).toEqual(['happy', 'sad']);
  });
});

describe('msse classify', () => {
  const model = join(root, 'same', 'model.safetensors');
  const files = [join(emodb, subset[0]!), join(emodb, subset[13]!)];

  test('--json: per file the top label and every class probability, EMO-DB names in class order', () => {
    const result = runMsse(['classify', model, ...files, '--json', '--backend', 'reference']);
    // The model's window is 8192 samples (0.37 s): every EMO-DB file is longer, and only its centre is classified.
    const note = (file: string) =>
      `msse: note: ${file}: ${(readWavFile(file).samples.length / readWavFile(file).sampleRateHz).toFixed(2)} s is longer than the model's 0.37 s window; ` +
      'only its centre was classified (--timeline classifies all of it)\n';
    expect(result.stderr).toBe(files.map(note).join(''));
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout) as { file: string; label: string; probs: Record<string, number> }[];
    expect(out.map((r) => r.file)).toEqual(files);
    for (const r of out) {
      expect(Object.keys(r)).toEqual(['file', 'label', 'probs']);
      expect(Object.keys(r.probs)).toEqual([...EMODB_LABELS]);
      const values = Object.values(r.probs);
      expect(values.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 9);
      for (const p of values) expect(p).toBeGreaterThan(0);
      expect(r.probs[r.label]).toBe(Math.max(...values));
    }

    const text = runMsse(['classify', model, ...files, '--backend', 'reference']);
    expect(text.stdout.trim().split('\n')).toEqual(
      out.map((r) => `${r.file}: ${r.label} ${(r.probs[r.label]! * 100).toFixed(1)}% | ${EMODB_LABELS.map((l) => `${l} ${(r.probs[l]! * 100).toFixed(1)}%`).join('  ')}`),
    );

    const gpu = runMsse(['classify', model, ...files, '--json', '--backend', 'webgpu']);
    expect(gpu.status, gpu.stderr).toBe(0);
    const gpuOut = JSON.parse(gpu.stdout) as typeof out;
    gpuOut.forEach((r, i) => {
      for (const label of EMODB_LABELS) expect(Math.abs(r.probs[label]! - out[i]!.probs[label]!), label).toBeLessThan(1e-4);
    });
  });

  test('a model that is not ours, truncated, or for another front end is one line naming the file', () => {
    const notOurs = join(root, 'notes.safetensors');
    writeFileSync(notOurs, 'hello');
    const truncated = join(root, 'truncated.safetensors');
    writeFileSync(truncated, readFileSync(model).subarray(0, 1000));
    const headerBytes = Number(readFileSync(model).readBigUInt64LE(0));
    const otherFrontEnd = join(root, 'mels64.safetensors');
    const loaded = loadModel(model);
    saveModel(otherFrontEnd, { ...loaded, frontEnd: { ...loaded.frontEnd, nMels: 64 } });
    const cases: [string, string][] = [
      [notOurs, 'too short for a safetensors file: 5 bytes; expected at least 8 (the header length)'],
      [truncated, `header length ${headerBytes} bytes runs past the end of the file (992 bytes follow the length field); truncated or not a safetensors file`],
      [otherFrontEnd, 'model is for another front end: nMels is 64 in the model but 128 here'],
    ];
    for (const [file, message] of cases) {
      const result = runMsse(['classify', file, files[0]!, '--backend', 'reference']);
      expect(result.stderr).toBe(`msse: ${file}: ${message}\n`);
      expect(result.status).toBe(1);
    }
    expect(runMsse(['classify', model]).stderr).toBe('msse: classify: expected MODEL and at least one WAV file\n');
  });
});

describe('msse cv', () => {
  const dir = join(root, 'cv');
  const cv = (...args: string[]) => runMsse(['cv', '--data', emodb, '--folds', '2', '--epochs', '2', ...REFERENCE, ...args]);

  test('a 2-fold run: report keys, fractions in [0, 1], HTML beside it; two --folds-only parts merge into the same report', () => {
    const full = cv('--report', join(dir, 'full.json'));
    expect(full.stderr).toBe('');
    expect(full.status).toBe(0);
    const lines = full.stdout.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^fold 1\/2 epoch 2\/2  loss \d\.\d{4}  acc \d+\.\d%  test UAR \d+\.\d% WAR \d+\.\d%  /));
    expect(lines).toContainEqual(expect.stringMatching(/^fold 2: last UAR \d+\.\d% WAR \d+\.\d%; best \(epoch [12], for comparison only\) UAR /));
    expect(lines.at(-1)).toBe(`wrote ${join(dir, 'full.json')} and ${join(dir, 'full.html')}`);
    const report = JSON.parse(readFileSync(join(dir, 'full.json'), 'utf8'));
    expect(Object.keys(report)).toEqual(['config', 'labels', 'folds', 'summary']);
    expect(report.labels).toEqual([...EMODB_LABELS]);
    expect(report.config).toMatchObject({ samples: 14, folds: 2, seed: 46, epochs: 2, batch_size: 4, backend: 'reference' });
    expect(report.folds.map((f: { fold: number; n_test: number }) => [f.fold, f.n_test])).toEqual([[1, 7], [2, 7]]);
    const fractions: number[] = [];
    for (const fold of report.folds) {
      expect(Object.keys(fold)).toEqual(['fold', 'n_test', 'last', 'best', 'curve']);
      expect(fold.curve.map((p: { epoch: number }) => p.epoch)).toEqual([1, 2]);
      for (const p of fold.curve) {
        expect(Object.keys(p)).toEqual(['epoch', 'train_loss', 'train_acc', 'test_uar', 'test_war']);
        fractions.push(p.train_acc, p.test_uar, p.test_war);
      }
      expect(fold.last.confusion.flat().reduce((x: number, y: number) => x + y, 0)).toBe(7);
      expect(fold.last.war).toBe(fold.curve[1].test_war);
      fractions.push(fold.last.uar, fold.last.war, fold.best.uar, fold.best.war);
    }
    const { summary } = report;
    fractions.push(summary.last.uar, summary.last.war, summary.best.uar, summary.best.war, summary.last_pooled.uar, summary.last_pooled.war);
    for (const f of fractions) {
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThanOrEqual(1);
    }
    expect(readFileSync(join(dir, 'full.html'), 'utf8')).toContain('for comparison only');

    for (const fold of ['1', '2']) expect(cv('--report', join(dir, `part${fold}.json`), '--folds-only', fold, '--quiet').status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'part1.json'), 'utf8')).folds.map((f: { fold: number }) => f.fold)).toEqual([1]);
    const merged = runMsse(['cv', '--merge', join(dir, 'part1.json'), join(dir, 'part2.json'), '-o', join(dir, 'all.json')]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout.trim().split('\n').at(-1)).toBe(`wrote ${join(dir, 'all.json')} and ${join(dir, 'all.html')}`);
    expect(JSON.parse(readFileSync(join(dir, 'all.json'), 'utf8'))).toEqual(report);
    expect(existsSync(join(dir, 'all.html'))).toBe(true);

    const twice = runMsse(['cv', '--merge', join(dir, 'part1.json'), join(dir, 'full.json'), '-o', join(dir, 'bad.json')]);
    expect(twice.stderr).toBe(`msse: cannot merge: fold 1 is in both ${join(dir, 'part1.json')} and ${join(dir, 'full.json')}\n`);
    expect(twice.status).toBe(1);
  });

  test('train --cv-report records the figures of a report of the same run; a report of another run is refused', () => {
    const report = join(dir, 'full.json');
    const summary = (JSON.parse(readFileSync(report, 'utf8')) as { summary: { last: object; best: object } }).summary;
    const model = join(dir, 'with-cv.safetensors');
    const train = (...args: string[]) => runMsse(['train', '--data', emodb, '-o', model, '--cv-report', report, '--quiet', ...REFERENCE, ...args]);
    expect(train('--epochs', '2').status).toBe(0);
    expect(loadModel(model).provenance.cv).toEqual({ report, folds: 2, folds_run: [1, 2], last: summary.last, best_for_comparison_only: summary.best });
    const other = train('--epochs', '3');
    expect(other.stderr).toBe(`msse: ${report}: the cv report evaluated another training run: epochs is 2 there but 3 here\n`);
    expect(other.status).toBe(2);
    expect(train('--epochs', '2', '--dilations', '3').stderr).toBe(`msse: ${report}: the cv report evaluated another training run: network settings differ\n`);
  });

  // How a model trained before its cv report was finished gets the report's figures once its checkpoint is gone.
  test('after a finished run without its checkpoint, train --resume writes the provenance anew and trains nothing', () => {
    const report = join(dir, 'full.json');
    const model = join(dir, 'finished.safetensors');
    const train = (...args: string[]) => runMsse(['train', '--data', emodb, '-o', model, '--quiet', ...REFERENCE, ...args]);
    expect(train('--epochs', '2').status).toBe(0);
    rmSync(`${model}.ckpt`);
    const before = loadModel(model);

    const restamped = train('--epochs', '2', '--resume', '--cv-report', report);
    expect(restamped.stderr).toBe('');
    expect(restamped.stdout).toBe(`${model}: the run had finished (2 epochs); its tensors are kept, its provenance written anew\n`);
    const after = loadModel(model);
    expect(tensorBytes(after)).toEqual(tensorBytes(before));
    expect([after.config, after.labels, after.frontEnd]).toEqual([before.config, before.labels, before.frontEnd]);
    const { command, ...made } = before.provenance;
    expect(after.provenance).toMatchObject({ ...made, steps: 8, cv: { report, folds: 2, folds_run: [1, 2] } });
    expect(after.provenance.command).toBe(`${command} --resume --cv-report ${report}`);
    expect(existsSync(`${model}.ckpt`)).toBe(false);

    const further = train('--epochs', '3', '--resume');
    expect(further.stderr).toBe(
      `msse: train: --resume without a checkpoint: ${model} is the model after 2 epochs, not 3; training further needs its checkpoint (${model}.ckpt)\n`,
    );
    expect(further.status).toBe(2);
    const other = train('--epochs', '2', '--resume', '--seed', '7');
    expect(other.stderr).toBe(`msse: ${model}: model is from another run: seed is 46 in the model but 7 here\n`);
    expect(other.status).toBe(1);
    expect(tensorBytes(loadModel(model))).toEqual(tensorBytes(before));
  });

  test('usage errors', () => {
    expect(cv('--report', join(dir, 'x.json'), '--folds-only', '3').stderr).toBe("msse: --folds-only: '3' is not a fold number from 1 to 2\n");
    expect(cv().stderr).toBe('msse: cv: missing --report OUT.json\n');
    expect(runMsse(['cv', '--merge', join(dir, 'x.json')]).stderr).toBe('msse: cv --merge: missing -o ALL.json\n');
    expect(runMsse(['cv', '--merge', '-o', join(dir, 'x.json')]).stderr).toBe('msse: cv --merge: no reports given\n');
  });
});
