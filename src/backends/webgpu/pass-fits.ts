import { GpuError } from '../../errors.ts';

/**
 * Checks, before any work, that a pass's largest buffer fits the device: WebGPU refuses to bind a storage buffer
 * above `maxStorageBufferBindingSize` (128 MiB on many devices) or to create one above `maxBufferSize`, and the
 * refusal would otherwise come after minutes of feature extraction or training. `what` names the pass
 * (`a training batch of 64 x 1954 frames`), `advice` what to lower (`lower --batch or --length`).
 * @throws GpuError saying how large the buffer is, the device's limit, and `advice`
 */
export function expectPassFits(limits: Readonly<Record<string, number>>, bytes: number, what: string, advice: string): void {
  for (const name of ['maxStorageBufferBindingSize', 'maxBufferSize']) {
    const limit = limits[name];
    if (limit === undefined || bytes <= limit) continue;
    throw new GpuError(`${what} needs a ${megabytes(bytes)} buffer; this device allows ${megabytes(limit)} (${name}); ${advice}`);
  }
}

/** `760.3 MiB`. */
function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
