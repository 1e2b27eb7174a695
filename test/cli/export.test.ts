import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { commands } from '../../src/cli/commands.ts';
import { exportCommand } from '../../src/cli/export.ts';
import { msseVersion } from '../../src/cli/training-run.ts';
import { exportOnnx } from '../../src/infer/onnx-export.ts';
import { loadCheckedModel, loadModel, saveModel } from '../../src/platform/node/model-file.ts';
import { runMsse } from '../support/cli.ts';
import { repoRoot } from '../support/paths.ts';

const shipped = join(repoRoot, 'models', 'emodb.safetensors');
const dir = mkdtempSync(join(tmpdir(), 'msse-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('msse export', () => {
  test('is registered', () => {
    expect(commands).toContain(exportCommand);
  });

  test('writes the ONNX file of the model and prints its path, node count and size', () => {
    const out = join(dir, 'emodb.onnx');
    const result = runMsse(['export', shipped, '-o', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const written = readFileSync(out);
    expect(result.stdout).toBe(`${out}: ONNX opset 17, 191 nodes, ${written.length} bytes\n`);
    // The same bytes as the library's export: the file is deterministic.
    expect(Buffer.compare(written, exportOnnx(loadCheckedModel(shipped), msseVersion()).bytes)).toBe(0);
  });

  test('a file that is not a model is one line naming it, exit 1, and nothing is written', () => {
    const bad = join(dir, 'bad.safetensors');
    writeFileSync(bad, 'not a model at all');
    const out = join(dir, 'bad.onnx');
    const result = runMsse(['export', bad, '-o', out]);
    expect(result.status).toBe(1);
    expect(result.stderr.startsWith(`msse: ${bad}: `)).toBe(true);
    expect(result.stderr.split('\n')).toHaveLength(2); // one line, then the final newline
    expect(existsSync(out)).toBe(false);
  });

  test('a model whose tensors do not match its config is one line naming the tensor, exit 1', () => {
    const model = loadModel(shipped);
    model.parameters.delete('head.wsum');
    const damaged = join(dir, 'damaged.safetensors');
    saveModel(damaged, model);
    const result = runMsse(['export', damaged, '-o', join(dir, 'damaged.onnx')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`msse: ${damaged}: tensor "head.wsum" is missing; expected (8) for this config\n`);
  });

  test.each([
    { argv: [shipped], stderr: 'msse: export: missing -o OUT.onnx\n' },
    { argv: ['-o', 'x.onnx'], stderr: 'msse: export: expected one MODEL file, got 0\n' },
  ])('usage errors exit 2: $stderr', ({ argv, stderr }) => {
    const result = runMsse(['export', ...argv]);
    expect([result.status, result.stderr]).toEqual([2, stderr]);
  });
});
