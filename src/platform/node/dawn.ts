import type { AdapterCandidate, GpuEntry, GpuSource } from '../../backends/webgpu/device.ts';
import { firstLine } from '../../backends/webgpu/error-tracker.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GpuError } from '../../errors.ts';

/**
 * The one global msse keeps (STYLE.md §6): every `create()` result of npm `webgpu` (Dawn) that may have a live
 * device. Dawn crashes in InstanceBase::ProcessEvents (SIGSEGV, futex abort or hang) when that object is garbage
 * collected while one of its devices lives, and holding the adapter or device does not keep it alive
 * (../shared/runbooks/webgpu.md, pitfall 1). Added to in `openDawn`, removed from by the release that
 * `GpuContext.destroy()` (or a failed adapter request) calls, deleted when empty; nothing else reads it.
 */
declare global {
  var __msseDawnInstances: Set<GPU> | undefined;
}

/** What to install when Dawn finds no adapter: the Mesa packages its GL path needs (runbook, Install). */
export const DAWN_INSTALL_HINT =
  'install Mesa for the CPU fallback (apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri libegl-dev) or a GPU driver';

/** Where distributions put Mesa's EGL driver (Debian multiarch, Fedora, others). */
const MESA_EGL_FILES = ['x86_64-linux-gnu', 'aarch64-linux-gnu', 'arm-linux-gnueabihf', '']
  .flatMap((arch) => [join('/usr/lib', arch, 'libEGL_mesa.so.0')])
  .concat(['/usr/lib64/libEGL_mesa.so.0']);

/** Node's way to a GPU: Dawn's adapters (dawnCandidates), and what to do when there is none (dawnNoAdapterHint). */
export function dawnGpuSource(): GpuSource {
  return { candidates: dawnCandidates(), hint: dawnNoAdapterHint(process.env.EGL_PLATFORM, MESA_EGL_FILES.some((f) => existsSync(f))) };
}

/**
 * What to do when no Dawn adapter answered, from what was tried: an EGL platform other than surfaceless needs a
 * display (Mesa is there, the platform is wrong); Mesa installed and still nothing is a driver problem, not a missing
 * package; only without Mesa is installing it the advice.
 * @param eglPlatform the EGL_PLATFORM the user set (undefined: msse uses surfaceless)
 */
export function dawnNoAdapterHint(eglPlatform: string | undefined, mesaInstalled: boolean): string {
  if (eglPlatform !== undefined && eglPlatform !== 'surfaceless') {
    return `EGL_PLATFORM is '${eglPlatform}', which needs a display; unset it (msse then uses surfaceless) or set EGL_PLATFORM=surfaceless`;
  }
  if (mesaInstalled) return "Mesa's EGL is installed but offered no adapter; run with --debug for Dawn's messages, or install a GPU driver";
  return DAWN_INSTALL_HINT;
}

/**
 * Dawn's adapters in the order msse tries them: the default instance at core feature level (a real GPU, or Vulkan
 * lavapipe when installed), then OpenGL ES at compatibility level, which reaches Mesa llvmpipe on machines without
 * a GPU. Dawn's default instance never tries GL by itself (runbook, pitfall 2), hence the second instance.
 */
export function dawnCandidates(): AdapterCandidate[] {
  return [
    { what: 'Dawn default backend (core)', backend: defaultDawnBackend(), featureLevel: 'core', open: () => openDawn([]) },
    {
      what: `Dawn backend=opengles (compatibility, EGL_PLATFORM=${process.env.EGL_PLATFORM ?? 'surfaceless'})`,
      backend: 'opengles',
      featureLevel: 'compatibility',
      open: () => openDawn(['backend=opengles']),
    },
  ];
}

async function openDawn(flags: string[]): Promise<GpuEntry> {
  const { create } = await loadDawn();
  // Mesa's EGL reads this when Dawn discovers adapters; without it the GL path fails with EGL_NOT_INITIALIZED
  // on machines without a display (runbook, pitfall 3). A value the user set wins.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const gpu = create(flags);
  const live = (globalThis.__msseDawnInstances ??= new Set());
  live.add(gpu);
  return {
    gpu,
    release() {
      live.delete(gpu);
      if (live.size === 0 && globalThis.__msseDawnInstances === live) delete globalThis.__msseDawnInstances;
    },
  };
}

/** Loads Dawn lazily: a dynamic import keeps npm `webgpu` (and its 21 MB dawn.node) out of browser bundles. */
async function loadDawn(): Promise<{ create(flags: string[]): GPU }> {
  try {
    return await import('webgpu');
  } catch (error) {
    const reason = firstLine(error instanceof Error ? error.message : String(error));
    throw new GpuError(`cannot load npm package 'webgpu' (Dawn for Node): ${reason}`, { cause: error });
  }
}

/** The backend Dawn's default instance uses on this OS; GPUAdapterInfo does not say which one it picked. */
function defaultDawnBackend(): 'vulkan' | 'd3d12' | 'metal' {
  if (process.platform === 'win32') return 'd3d12';
  if (process.platform === 'darwin') return 'metal';
  return 'vulkan';
}
