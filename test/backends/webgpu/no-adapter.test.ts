import { expect, test } from 'vitest';
import { GpuError } from '../../../src/errors.ts';
import { openNodeGpu } from '../../../src/platform/node/backends.ts';
import { DAWN_INSTALL_HINT, dawnNoAdapterHint } from '../../../src/platform/node/dawn.ts';

// Its own file, so its own process: EGL on the X11 platform with no display makes Mesa refuse. A value already set
// wins over msse's `EGL_PLATFORM ??= 'surfaceless'`.
process.env.EGL_PLATFORM = 'x11';
delete process.env.DISPLAY;

test('no adapter through Dawn is one GpuError naming both attempts, the EGL platform tried and what to change', { timeout: 30_000 }, async () => {
  await expect(openNodeGpu()).rejects.toThrowError(
    new GpuError(
      'no WebGPU adapter (tried Dawn default backend (core), Dawn backend=opengles (compatibility, EGL_PLATFORM=x11)); ' +
        "EGL_PLATFORM is 'x11', which needs a display; unset it (msse then uses surfaceless) or set EGL_PLATFORM=surfaceless",
    ),
  );
  expect(globalThis.__msseDawnInstances).toBeUndefined();
});

test.each([
  ['x11', true, "EGL_PLATFORM is 'x11', which needs a display; unset it (msse then uses surfaceless) or set EGL_PLATFORM=surfaceless"],
  [undefined, true, "Mesa's EGL is installed but offered no adapter; run with --debug for Dawn's messages, or install a GPU driver"],
  ['surfaceless', true, "Mesa's EGL is installed but offered no adapter; run with --debug for Dawn's messages, or install a GPU driver"],
  [undefined, false, DAWN_INSTALL_HINT],
])('the advice for EGL_PLATFORM=%s, Mesa installed: %s', (platform, mesa, advice) => {
  expect(dawnNoAdapterHint(platform, mesa)).toBe(advice);
});
