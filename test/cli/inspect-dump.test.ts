import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { inspectCommand } from '../../src/cli/inspect.ts';
import { UsageError } from '../../src/errors.ts';
import { float32FromLittleEndian } from '../../src/io/float32-file.ts';
import { sharedPath } from '../support/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'msse-dump-'));
const wav = sharedPath('data', 'emodb', 'wav', '03a01Wa.wav');

async function dump(site: string, backend: string): Promise<{ line: string; values: Float32Array }> {
  const lines: string[] = [];
  const output = join(dir, `${site}.${backend}.f32`);
  const io = { out: (l: string) => lines.push(l), err: () => {}, isTTY: false };
  await inspectCommand.run({ values: { dump: site, output, wav, backend }, positionals: [] }, io);
  return { line: lines[0]!, values: float32FromLittleEndian(readFileSync(output)) };
}

describe('msse inspect --dump', () => {
  test.each(['fwd.se.excite', 'bwd.tab7', 'logits'])('%s of a real utterance: webgpu equals the float64 reference', async (site) => {
    const [gpu, ref] = [await dump(site, 'webgpu'), await dump(site, 'reference')];
    expect(gpu.values.length).toBe(ref.values.length);
    let maxDiff = 0;
    let maxRef = 0;
    for (let i = 0; i < ref.values.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(gpu.values[i]! - ref.values[i]!));
      maxRef = Math.max(maxRef, Math.abs(ref.values[i]!));
    }
    expect(maxDiff / maxRef).toBeLessThan(1e-4);
    expect(gpu.line).toBe(ref.line.replace('.reference.', '.webgpu.'));
  }, 60_000);

  test('writes the shape it prints; an unknown site names the available ones', async () => {
    const { line, values } = await dump('fwd.tf', 'webgpu');
    expect(line).toBe(`fwd.tf (1, 188, 117, 39) float32 -> ${join(dir, 'fwd.tf.webgpu.f32')}`);
    expect(values.length).toBe(188 * 117 * 39);
    const io = { out: () => {}, err: () => {}, isTTY: false };
    await expect(inspectCommand.run({ values: { dump: 'fwd.nope', output: join(dir, 'x.f32') }, positionals: [] }, io)).rejects.toThrowError(
      new UsageError(
        "inspect --dump: no site 'fwd.nope'; sites: fwd.tf, fwd.se.excite, fwd.se, fwd.conv1x1, fwd.cat, fwd.conv_in, fwd.tab0, fwd.tab1, fwd.tab2, fwd.tab3, fwd.tab4, fwd.tab5, fwd.tab6, fwd.tab7, bwd.tf, bwd.se.excite, bwd.se, bwd.conv1x1, bwd.cat, bwd.conv_in, bwd.tab0, bwd.tab1, bwd.tab2, bwd.tab3, bwd.tab4, bwd.tab5, bwd.tab6, bwd.tab7, head.pooled, head.z, logits",
      ),
    );
  }, 60_000);
});
