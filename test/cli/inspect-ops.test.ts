import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { inspectCommand } from '../../src/cli/inspect.ts';
import type { OpProfile, PassProfile } from '../../src/profile/ops-profile.ts';

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

  test('--backend wasm: one row per kernel call of the forward, timed as it runs, costed as on webgpu', async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: () => {}, isTTY: false };
    const html = join(mkdtempSync(join(tmpdir(), 'msse-ops-')), 'ops.html');
    const values = { ops: true, json: true, backend: 'wasm', threads: '2', unfused: true, batch: '2', frames: '64', repeats: '1', html };
    await inspectCommand.run({ values, positionals: [] }, io);
    const profile = JSON.parse(lines.slice(0, -1).join('\n')) as PassProfile;
    expect(profile.adapter).toMatch(/^wasm backend, 2 threads on /);
    expect([profile.pass, profile.batch, profile.frames]).toEqual(['forward (inference)', 2, 64]);
    expect(profile.rows.map((r) => r.index)).toEqual(profile.rows.map((_, i) => i));
    const calls = (label: string) => profile.rows.filter((r) => r.label === label).length;
    // Both directions: 3 TF paths, 8 TABs of two causal convs, a BatchNorm after each conv; one input reversal, one pooling.
    expect([calls('conv2d.forward'), calls('conv1d-causal.forward'), calls('batch-norm.forwardInference')]).toEqual([6, 32, 38]);
    expect([calls('reverse-time.forward'), calls('weighted-sum.forward')]).toEqual([1, 1]);
    expect(new Set(profile.families.map((f) => f.family))).toEqual(
      new Set(['reverse-time', 'conv2d', 'batch-norm', 'relu', 'reduce-sum', 'add', 'dense', 'sigmoid', 'mul', 'concat', 'conv1d-causal', 'weighted-sum']),
    );
    expect(profile.rows[1]).toMatchObject({ label: 'conv2d.forward', shapes: '(2, 64, 39) (39, 1, 11, 1) (39) (2, 64, 39, 39)', flops: 2 * 2 * 64 * 39 * 39 * 11 });
    expect(profile.rows.find((r) => r.label === 'conv1d-causal.forward')?.flops).toBe(2 * 2 * 64 * 39 * 39 * 2);
    expect(profile.rows.every((r) => r.ms > 0 && Number.isFinite(r.ms))).toBe(true);
    // One timed pass: its calls ran inside it, one after another; the rest of the pass is JS (op contracts, uploads).
    const kernelsMs = profile.rows.reduce((sum, r) => sum + r.ms, 0);
    expect(kernelsMs).toBeLessThanOrEqual(profile.stepMs);
    expect(kernelsMs).toBeGreaterThan(0.2 * profile.stepMs);
    expect(profile.families.reduce((n, f) => n + f.calls, 0)).toBe(profile.rows.length);
    expect(profile).not.toHaveProperty('poolBytes');
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).toContain('Every kernel call, in order');
  }, 60_000);
});
