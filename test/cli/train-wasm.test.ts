import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadModel } from '../../src/platform/node/model-file.ts';
import { runMsse } from '../support/cli.ts';
import { linkEmodb, pickEmodb } from '../support/emodb-subset.ts';

// `msse train --backend wasm` end to end through bin/msse.js on 14 EMO-DB files (2 per emotion), the small settings
// of train-cv-classify.test.ts: the WebAssembly backend trains, and the same command writes the same model bytes.
const root = mkdtempSync(join(tmpdir(), 'msse-train-wasm-'));
const emodb = linkEmodb(join(root, 'emodb'), Object.fromEntries(pickEmodb(2).map((n) => [n, n])));
const WASM = ['--length', '8192', '--dilations', '2', '--batch', '4', '--cache', join(root, 'cache'), '--backend', 'wasm'];

describe('msse train --backend wasm', () => {
  test('trains, and the same command twice writes the same bytes; the provenance names the backend', () => {
    const model = join(root, 'model.safetensors');
    const args = ['train', '--data', emodb, '-o', model, '--epochs', '3', ...WASM];
    const first = runMsse(args);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout.trim().split('\n').at(-1)).toBe(`wrote ${model} (3 epochs, 14 files, 7 classes)`);
    const bytes = readFileSync(model);
    const second = runMsse(args);
    expect(second.status).toBe(0);
    expect(readFileSync(model).equals(bytes)).toBe(true);
    const loaded = loadModel(model);
    expect(loaded.provenance).toMatchObject({ epochs: 3, batch_size: 4, samples: 14, backend: 'wasm' });
    for (const [name, t] of [...loaded.parameters, ...loaded.buffers]) expect(t.data.every(Number.isFinite), name).toBe(true);
  }, 120_000);
});
