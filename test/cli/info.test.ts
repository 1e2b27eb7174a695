import { describe, expect, test } from 'vitest';
import type { CliIO } from '../../src/cli/command.ts';
import { infoCommand, type GpuInfo } from '../../src/cli/info.ts';

/** Runs `msse info` in-process and returns what it printed to stdout, one entry per line. */
async function runInfo(values: Record<string, boolean>): Promise<string[]> {
  const out: string[] = [];
  const io: CliIO = { out: (line) => out.push(...line.split('\n')), err: (line) => out.push(`stderr: ${line}`), isTTY: false };
  await infoCommand.run({ values, positionals: [] }, io);
  return out;
}

const limitNames = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
];

describe('msse info', { timeout: 30_000 }, () => {
  // No GPU on this project's machines: Mesa llvmpipe through Dawn's GL path, unless lavapipe 25 is set up.
  const viaVulkan = process.env.VK_ICD_FILENAMES !== undefined;

  test('--json: adapter, the seven limits that matter, features', async () => {
    const info = JSON.parse((await runInfo({ json: true })).join('\n')) as GpuInfo;
    expect(Object.keys(info)).toEqual(['adapter', 'limits', 'features']);
    expect(Object.keys(info.adapter)).toEqual(['vendor', 'architecture', 'device', 'description', 'backend', 'featureLevel', 'isFallback']);
    expect(info.adapter).toMatchObject(
      viaVulkan ? { backend: 'vulkan', featureLevel: 'core' } : { backend: 'opengles', featureLevel: 'compatibility' },
    );
    expect(info.adapter.device).toMatch(/llvmpipe/);
    expect(Object.keys(info.limits)).toEqual(limitNames);
    expect(info.limits.maxComputeWorkgroupsPerDimension).toBe(65_535);
    expect(info.limits.maxStorageBufferBindingSize).toBe(128 * 2 ** 20);
    expect(info.features).toEqual([...info.features].sort());
  });

  test('the table shows the same values, one row each, byte limits with a unit', async () => {
    const info = JSON.parse((await runInfo({ json: true })).join('\n')) as GpuInfo;
    const rows = await runInfo({});
    const row = (key: string) => rows.find((r) => r.startsWith(`${key} `))?.slice(35);
    expect(rows).toHaveLength(15);
    expect(row('device')).toBe(info.adapter.device);
    expect(row('description')).toBe(info.adapter.description || '(not reported)');
    expect(row('vendor')).toBe(info.adapter.vendor || '(not reported)');
    expect(row('backend')).toBe(info.adapter.backend);
    expect(row('feature level')).toBe(info.adapter.featureLevel);
    expect(row('fallback adapter')).toBe(info.adapter.isFallback ? 'yes' : 'no');
    expect(row('maxStorageBufferBindingSize')).toBe('134217728 (128 MiB)');
    expect(row('maxComputeWorkgroupsPerDimension')).toBe('65535');
    expect(row('maxComputeWorkgroupStorageSize')).toBe(`${info.limits.maxComputeWorkgroupStorageSize} (${info.limits.maxComputeWorkgroupStorageSize / 1024} KiB)`);
    expect(row('features')).toBe(info.features.length === 0 ? '(none)' : info.features.join(', '));
  });

  test('leaves no Dawn instance behind', async () => {
    await runInfo({});
    expect(globalThis.__msseDawnInstances).toBeUndefined();
  });
});
