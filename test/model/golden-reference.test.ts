import { cpSync, mkdtempSync, rmSync, truncateSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { referenceBackend } from '../../src/backends/reference/index.ts';
import { CheckFailedError, checkFixtureCommand } from '../../src/cli/check-fixture.ts';
import { readFixture } from '../../src/platform/node/fixture.ts';
import { checkFixture } from '../../src/check/golden-check.ts';

const golden = (name: string) => fileURLToPath(new URL(`../../../shared/golden/${name}`, import.meta.url));
const ALL_GROUPS = ['output', 'act', 'gradact', 'grad', 'grad-zero', 'bn-mean', 'bn-var', 'step1-rule', 'step1-large', 'step1-mid', 'step1-small'];

describe.each(['msse-tiny', 'msse'])('golden fixture %s on the reference backend', (name) => {
  test('every group within tolerance; float64 lands at float32 rounding of the stored values', async () => {
    const result = await checkFixture(await readFixture(golden(name)), referenceBackend);
    expect(result.groups.map((g) => g.name)).toEqual(ALL_GROUPS);
    for (const g of result.groups) {
      expect(g.ok, `${g.name}: ${g.worst} > ${g.tolerance} (${g.worstTensor})`).toBe(true);
      // The stored values are float64 results rounded to float32: anything above 1.2e-7 would be a real difference.
      if (g.name !== 'grad-zero') expect(g.worst, g.name).toBeLessThan(1.2e-7);
    }
  });
});

describe('damaged fixtures', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'msse-fixture-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const copy = (label: string) => {
    const dir = join(tmp, label);
    cpSync(golden('msse-tiny'), dir, { recursive: true });
    return dir;
  };

  test('a missing tensor file is a FixtureError naming it', async () => {
    const dir = copy('missing');
    rmSync(join(dir, 'x.bin'));
    await expect(readFixture(dir)).rejects.toMatchObject({
      name: 'FixtureError',
      line: `${join(dir, 'x.bin')}: missing (tensor 'x' in manifest.json)`,
    });
  });
  test('a short tensor file is a FixtureError with the sizes', async () => {
    const dir = copy('short');
    truncateSync(join(dir, 'labels.bin'), 4);
    await expect(readFixture(dir)).rejects.toMatchObject({
      name: 'FixtureError',
      line: `${join(dir, 'labels.bin')}: 4 bytes, expected 8 (int32 (2))`,
    });
  });
  test('a manifest in another format is a FixtureError naming manifest.json', async () => {
    const dir = copy('format');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, format: 'other' }));
    await expect(readFixture(dir)).rejects.toMatchObject({
      line: `${join(dir, 'manifest.json')}: format is "other", expected "msse-golden-v1"`,
    });
  });
  test('no manifest at all', async () => {
    await expect(readFixture(join(tmp, 'nothing'))).rejects.toMatchObject({ line: `${join(tmp, 'nothing', 'manifest.json')}: not found` });
  });
  test('check-fixture fails (CheckFailedError) when a stored value is off, and still prints every group', async () => {
    const dir = copy('wrong-loss');
    writeFileSync(join(dir, 'loss.bin'), Buffer.from(new Float32Array([2.5]).buffer));
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: () => {}, isTTY: false };
    const run = checkFixtureCommand.run({ values: {}, positionals: [dir] }, io);
    await expect(run).rejects.toBeInstanceOf(CheckFailedError);
    await expect(run).rejects.toMatchObject({ line: `${dir}: 1 of 11 groups past tolerance: output` });
    expect(lines).toHaveLength(12);
    expect(lines[1]).toMatch(/^output +2\.\d\de-1 +tol 1\.0e-5 +FAIL +loss \(relative, 4 tensors\)$/);
  });
  test('an unknown backend is a usage error', async () => {
    const io = { out: () => {}, err: () => {}, isTTY: false };
    await expect(checkFixtureCommand.run({ values: { backend: 'cuda' }, positionals: [golden('msse-tiny')] }, io)).rejects.toThrowError(
      "--backend must be one of webgpu, wasm, reference, got 'cuda'",
    );
  });
});
