import { describe, expect, test } from 'vitest';
import { inspectCommand } from '../../src/cli/inspect.ts';
import type { OpProfile } from '../../src/profile/ops-profile.ts';

describe('msse inspect --ops: the fused inference forward', () => {
  test('profiles the fused forward by default, the unfused one with --compare (or --unfused) in the same run', async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: () => {}, isTTY: false };
    const values = { ops: true, json: true, compare: true, batch: '1', frames: '16', repeats: '1' };
    await inspectCommand.run({ values, positionals: [] }, io);
    const profile = JSON.parse(lines.join('\n')) as OpProfile & { unfused: OpProfile };
    expect(profile.pass).toBe('fused forward (inference)');
    expect(profile.unfused.pass).toBe('forward (inference)');
    expect(profile.rows.length).toBeLessThanOrEqual(30);
    expect(profile.unfused.rows.length).toBeGreaterThan(200);
    expect(new Set(profile.rows.map((r) => r.label.split('.')[0]))).toEqual(new Set(['tf-path', 'se-gate', 'direction-dense', 'tab-inference', 'dense']));
    // tf-path.squeeze: every pixel of both directions meets each of the 29 taps for 39 channels.
    expect(profile.rows[0]).toMatchObject({ label: 'tf-path.squeeze', flops: 2 * 2 * 16 * 39 * 29 * 39 });

    const text: string[] = [];
    await inspectCommand.run({ values: { ...values, json: false }, positionals: [] }, { ...io, out: (l: string) => text.push(l) });
    expect(text.at(-1)).toMatch(/^fused is \d+\.\d\dx faster, \d+ fewer dispatches$/);
  }, 120_000);

  test.each([
    ['wasm', 'wasm backend, \\d+ threads?'],
    ['reference', 'reference backend'],
  ] as const)('--backend %s --compare: the fused and the unfused forward side by side', async (backend, header) => {
    const text: string[] = [];
    const io = { out: (l: string) => text.push(l), err: () => {}, isTTY: false };
    await inspectCommand.run({ values: { ops: true, compare: true, backend, batch: '1', frames: '16', repeats: '1' }, positionals: [] }, io);
    expect(text[0]).toMatch(new RegExp(`^fused forward \\(inference\\), B=1, T=16 on ${header} on `));
    expect(text.at(-1)).toMatch(/^fused is \d+\.\d\dx faster, \d+ fewer calls$/);
  }, 60_000);
});
