import { openNodeGpu } from '../platform/node/backends.ts';
import { type AdapterDescription, type GpuContext } from '../backends/webgpu/device.ts';
import type { Command } from './command.ts';

/** The limits msse's kernels run into: binding and buffer sizes, workgroup shape, dispatch size, bindings. */
const INFO_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
] as const;

/** Limits measured in bytes, printed with a binary unit as well. */
const BYTE_LIMITS: ReadonlySet<string> = new Set([
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
]);

/** What `msse info --json` prints. */
export interface GpuInfo {
  readonly adapter: AdapterDescription;
  readonly limits: Readonly<Record<(typeof INFO_LIMITS)[number], number>>;
  readonly features: readonly string[];
}

/** The adapter, the limits that matter and the features of an open device. */
export function gpuInfo(gpu: GpuContext): GpuInfo {
  const limits = Object.fromEntries(INFO_LIMITS.map((name) => [name, gpu.limits[name]!])) as GpuInfo['limits'];
  return { adapter: gpu.adapter, limits, features: gpu.features };
}

export const infoCommand: Command = {
  name: 'info',
  summary: 'the WebGPU adapter msse gets here: backend, feature level, limits, features',
  help: `usage: msse info [--json]

Opens a WebGPU device the way every msse command does (Node: Dawn's default backend, then OpenGL ES at
compatibility level, which reaches Mesa llvmpipe on machines without a GPU) and prints what it got:
adapter (vendor, architecture, device, description), backend, feature level, whether the adapter is a
fallback, the limits msse's kernels depend on, and the optional features enabled.

  --json   print one JSON object {adapter, limits, features} instead of the table`,
  options: { json: { type: 'boolean' } },

  async run(args, io) {
    const gpu = await openNodeGpu();
    let info: GpuInfo;
    try {
      info = gpuInfo(gpu);
    } finally {
      gpu.destroy();
    }
    if (args.values.json === true) {
      io.out(JSON.stringify(info, null, 2));
      return;
    }
    for (const [key, value] of infoRows(info)) io.out(`${key.padEnd(34)} ${value}`);
  },
};

function infoRows({ adapter, limits, features }: GpuInfo): [string, string][] {
  const shown = (text: string) => (text === '' ? '(not reported)' : text);
  return [
    ['vendor', shown(adapter.vendor)],
    ['architecture', shown(adapter.architecture)],
    ['device', shown(adapter.device)],
    ['description', shown(adapter.description)],
    ['backend', adapter.backend],
    ['feature level', adapter.featureLevel],
    ['fallback adapter', adapter.isFallback ? 'yes' : 'no'],
    ...INFO_LIMITS.map((name): [string, string] => [name, BYTE_LIMITS.has(name) ? withBinaryUnit(limits[name]) : `${limits[name]}`]),
    ['features', features.length === 0 ? '(none)' : features.join(', ')],
  ];
}

/** `134217728 (128 MiB)`; sizes that are not a whole number of the unit keep one decimal. */
function withBinaryUnit(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes}` : `${bytes} (${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]})`;
}
