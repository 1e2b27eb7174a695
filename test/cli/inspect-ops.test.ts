import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { inspectCommand } from '../../src/cli/inspect.ts';
import type { OpProfile } from '../../src/profile/ops-profile.ts';

describe('msse inspect --ops', () => {
  test('lists every dispatch of a training step with costs and times, as JSON and HTML', async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: () => {}, isTTY: false };
    const html = join(mkdtempSync(join(tmpdir(), 'msse-ops-')), 'ops.html');
    await inspectCommand.run({ values: { ops: true, train: true, json: true, batch: '2', frames: '16', repeats: '1', html }, positionals: [] }, io);
    const profile = JSON.parse(lines.slice(0, -1).join('\n')) as OpProfile;
    expect(lines.at(-1)).toBe(`wrote ${html}`);
    expect(profile.pass).toBe('training step (forward, backward, Adam)');
    expect([profile.batch, profile.frames]).toEqual([2, 16]);
    // Every parameter gets one Adam step; the first dispatch reverses the input for the bwd branch.
    expect(profile.rows.filter((r) => r.label === 'adam.step')).toHaveLength(171);
    expect(profile.rows[0]!.label).toBe('reverse-time.forward');
    expect(profile.rows[0]!.shapes).toBe('(2, 16, 39) (2, 16, 39)');
    // The first TF path: 2·B·T·F·C·kh·kw FLOPs for an 11×1 kernel.
    const conv = profile.rows.find((r) => r.label === 'conv2d.forward')!;
    expect(conv.flops).toBe(2 * 2 * 16 * 39 * 39 * 11);
    // The first TAB conv: 2·B·T·Cout·Cin·K FLOPs, K = 2, each way.
    for (const entry of ['forward', 'backwardInput']) {
      expect(profile.rows.find((r) => r.label === `conv1d-causal.${entry}`)?.flops, entry).toBe(2 * 2 * 16 * 39 * 39 * 2);
    }
    // The 1×1 conv (39 -> 1 over B·T·F rows) runs dense's Out = 1 entry points: 2·In FLOPs per row each.
    const rows = 2 * 16 * 39;
    for (const entry of ['forwardSingle', 'backwardInputSingle', 'backwardWeightSingle']) {
      expect(profile.rows.find((r) => r.label === `dense.${entry}`)?.flops, entry).toBe(2 * rows * 39);
    }
    expect(profile.rows.every((r) => r.ms >= 0 && Number.isFinite(r.ms))).toBe(true);
    // At least the six (B, T, F, C) TF-path activations backward needs, at 4 bytes an element.
    expect(profile.poolBytes).toBeGreaterThanOrEqual(6 * 4 * 2 * 16 * 39 * 39);
    expect(profile.families.reduce((n, f) => n + f.calls, 0)).toBe(profile.rows.length);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).toContain('conv2d.backwardWeightPartial');
  }, 120_000);
});
