import { expect, test } from 'vitest';
import { GpuError } from '../../../src/errors.ts';
import { openNodeGpu } from '../../../src/platform/node/backends.ts';

// Its own file, so its own process: EGL on the X11 platform with no display makes Mesa refuse, which is what a
// machine without Mesa's EGL sees. A value already set wins over msse's `EGL_PLATFORM ??= 'surfaceless'`.
process.env.EGL_PLATFORM = 'x11';
delete process.env.DISPLAY;

test('no adapter through Dawn is one GpuError naming both attempts and the Mesa packages', { timeout: 30_000 }, async () => {
  await expect(openNodeGpu()).rejects.toThrowError(
    new GpuError(
      'no WebGPU adapter (tried Dawn default backend (core), Dawn backend=opengles (compatibility)); ' +
        'install Mesa for the CPU fallback (apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri libegl-dev) or a GPU driver',
    ),
  );
  expect(globalThis.__msseDawnInstances).toBeUndefined();
});
