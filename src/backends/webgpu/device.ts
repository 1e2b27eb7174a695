import { GpuError } from '../../errors.ts';
import { ErrorTracker, firstLine } from './error-tracker.ts';

/** Which WebGPU implementation answered: a Dawn backend in Node, or the browser's own (which does not say). */
export type GpuBackendName = 'vulkan' | 'opengles' | 'd3d12' | 'metal' | 'browser';
export type GpuFeatureLevel = 'core' | 'compatibility';

/** What `msse info` prints about the adapter. Empty strings where the implementation hides a field. */
export interface AdapterDescription {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly backend: GpuBackendName;
  readonly featureLevel: GpuFeatureLevel;
  /** True for software fallbacks the browser marks as such (Chromium's SwiftShader); Mesa llvmpipe says false. */
  readonly isFallback: boolean;
}

/** A WebGPU entry point, and how to let it go once its device is destroyed (idempotent). */
export interface GpuEntry {
  readonly gpu: GPU;
  release(): void;
}

/** One way of reaching an adapter, tried in order by `acquireGpu`. */
export interface AdapterCandidate {
  /** How errors name this attempt, e.g. `Dawn backend=opengles (compatibility)`. */
  readonly what: string;
  readonly backend: GpuBackendName;
  readonly featureLevel: GpuFeatureLevel;
  open(): Promise<GpuEntry>;
}

/** An open device with what msse needs to know about it. */
export interface GpuContext {
  readonly device: GPUDevice;
  readonly adapter: AdapterDescription;
  /** The device's limits: the adapter's full limits, requested explicitly (compatibility defaults are low). */
  readonly limits: Readonly<Record<string, number>>;
  /** Optional features enabled on the device, sorted. */
  readonly features: readonly string[];
  /** Validation errors by label, and the lost-device state every operation checks first. */
  readonly errors: ErrorTracker;
  /** Destroys the device and lets go of the WebGPU instance; later operations throw `GPU device lost`. */
  destroy(): void;
}

export interface AcquireOptions {
  /** Aborts a pending request with a GpuError. */
  readonly signal?: AbortSignal;
  /** Upper bound on each requestAdapter/requestDevice call, ms. Default 20 000. */
  readonly timeoutMs?: number;
}

/**
 * Cold start measured on this project's machines: 30–420 ms for Dawn's GL path (runbook). 20 s means a driver
 * that hangs, not a slow one.
 */
const DEFAULT_TIMEOUT_MS = 20_000;

/** Optional features msse uses when the adapter has them; asking for an absent one would fail requestDevice. */
const WANTED_FEATURES: readonly GPUFeatureName[] = [
  'core-features-and-limits',
  'timestamp-query',
  'shader-f16',
  'subgroups',
];

/** Where adapters come from: the ways to try, in order, and what to install or enable when none answers. */
export interface GpuSource {
  readonly candidates: readonly AdapterCandidate[];
  readonly hint: string;
}

/**
 * A page's adapters: `navigator.gpu` at core, then at compatibility feature level (what llvmpipe behind ANGLE
 * offers). `gpu` is the page's `navigator.gpu`; Node's source is Dawn (src/platform/node/dawn.ts).
 */
export function browserGpuSource(gpu: GPU): GpuSource {
  const entry: GpuEntry = { gpu, release: () => undefined };
  const candidates = (['core', 'compatibility'] as const).map((featureLevel) => ({
    what: `navigator.gpu (${featureLevel})`,
    backend: 'browser' as const,
    featureLevel,
    open: async () => entry,
  }));
  return { candidates, hint: 'enable WebGPU in this browser (Chromium without a GPU: --enable-unsafe-webgpu)' };
}

/** An adapter found and not opened yet: what it says of itself, and how to open a device on it or let it go. */
export interface FoundAdapter {
  readonly description: AdapterDescription;
  /** Opens the device (requestDevice with the adapter's full limits). */
  open(): Promise<GpuContext>;
  /** Lets the adapter go without a device. */
  release(): void;
}

/**
 * The first adapter `source` offers that is not a software fallback, else the first fallback, else undefined:
 * Chromium answers a core request with SwiftShader where a compatibility request reaches Mesa llvmpipe through
 * ANGLE, 2-3x faster (test/browser/page.test.ts measured 180-270 against 80-120 ms per utterance).
 */
export async function findAdapter(source: GpuSource, options: AcquireOptions = {}): Promise<FoundAdapter | undefined> {
  let fallback: FoundAdapter | undefined;
  for (const candidate of source.candidates) {
    const entry = await candidate.open();
    let adapter: GPUAdapter | null;
    try {
      adapter = await settleWithin(
        entry.gpu.requestAdapter({ featureLevel: candidate.featureLevel, powerPreference: 'high-performance' }),
        `requestAdapter on ${candidate.what}`,
        options,
      );
    } catch (error) {
      entry.release();
      fallback?.release();
      throw error;
    }
    if (adapter === null) {
      entry.release();
      continue;
    }
    const found = foundAdapter(adapter, candidate, entry, options);
    if (!found.description.isFallback) {
      fallback?.release();
      return found;
    }
    if (fallback === undefined) fallback = found;
    else found.release();
  }
  return fallback;
}

/**
 * Opens a WebGPU device on the adapter findAdapter gives. No adapter at all is a GpuError listing the attempts,
 * then the source's hint; msse never falls back to the CPU silently.
 */
export async function acquireGpu(source: GpuSource, options: AcquireOptions = {}): Promise<GpuContext> {
  const found = await findAdapter(source, options);
  if (found !== undefined) return found.open();
  const tried = source.candidates.map((c) => c.what).join(', ');
  throw new GpuError(`no WebGPU adapter (tried ${tried}); ${source.hint}`);
}

function foundAdapter(adapter: GPUAdapter, candidate: AdapterCandidate, entry: GpuEntry, options: AcquireOptions): FoundAdapter {
  const info = adapter.info;
  const description: AdapterDescription = {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    backend: candidate.backend,
    // A compatibility request may still get a core adapter (Chromium): the feature says which it is.
    featureLevel: adapter.features.has('core-features-and-limits') ? 'core' : candidate.featureLevel,
    isFallback: info.isFallbackAdapter === true,
  };
  return {
    description,
    async open() {
      try {
        return await openDevice(adapter, description, candidate, entry, options);
      } catch (error) {
        entry.release();
        throw error;
      }
    },
    release: () => entry.release(),
  };
}

async function openDevice(
  adapter: GPUAdapter,
  description: AdapterDescription,
  candidate: AdapterCandidate,
  entry: GpuEntry,
  options: AcquireOptions,
): Promise<GpuContext> {
  const requiredLimits = numericLimits(adapter.limits);
  const requiredFeatures = WANTED_FEATURES.filter((f) => adapter.features.has(f));
  const device = await settleWithin(
    adapter.requestDevice({ label: 'msse', requiredLimits, requiredFeatures }),
    `requestDevice on ${candidate.what}`,
    options,
  );

  const errors = new ErrorTracker(device);
  void device.lost.then((info) => errors.markLost(info.message || info.reason));
  // preventDefault: the error is ours to report (one line on stderr, through check()); without it Dawn prints the
  // raw validation text to stdout, where it corrupts `--json` output, as a browser logs it to the console.
  device.addEventListener('uncapturederror', (event) => {
    event.preventDefault();
    errors.noteUncaptured((event as GPUUncapturedErrorEvent).error);
  });

  return {
    device,
    adapter: description,
    limits: numericLimits(device.limits),
    features: [...device.features].sort(),
    errors,
    destroy() {
      errors.markLost('destroy() was called');
      device.destroy();
      entry.release();
    },
  };
}

/** GPUSupportedLimits as a plain record (its fields are getters, which JSON and spreading do not copy). */
function numericLimits(limits: GPUSupportedLimits): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key in limits) {
    const value = (limits as unknown as Record<string, unknown>)[key];
    if (typeof value === 'number') out[key] = value;
  }
  return out;
}

/**
 * Awaits a WebGPU request but gives up after `timeoutMs` or on abort, with a GpuError naming the request:
 * a driver that never answers must not hang the CLI or a test run.
 */
export function settleWithin<T>(request: Promise<T>, what: string, options: AcquireOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { signal } = options;
  if (signal?.aborted === true) return Promise.reject(new GpuError(`${what} aborted`));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => finish(() => reject(new GpuError(`${what} aborted`)));
    const timer = setTimeout(() => finish(() => reject(new GpuError(`${what} gave no answer within ${timeoutMs} ms`))), timeoutMs);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    request.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => {
        const reason = firstLine(error instanceof Error ? error.message : String(error));
        finish(() => reject(new GpuError(`${what} failed: ${reason}`, { cause: error })));
      },
    );
  });
}
