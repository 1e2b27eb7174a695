import { afterAll, beforeAll } from 'vitest';
import { referenceBackend } from '../../src/backends/reference/index.ts';
import { openNodeGpu } from '../../src/platform/node/backends.ts';
import { type GpuContext } from '../../src/backends/webgpu/device.ts';
import { createDispatchContext } from '../../src/backends/webgpu/dispatch.ts';
import { captureDispatches } from '../../src/backends/webgpu/profiler.ts';
import { readShaderFile } from '../../src/platform/node/assets.ts';
import { GpuTensors } from '../../src/backends/webgpu/tensors.ts';
import type { Tensor } from '../../src/runtime/tensor.ts';
import { formatShape, numElements, type Shape } from '../../src/runtime/tensor.ts';
import { mulberry32 } from './prng.ts';

/**
 * Parity tests of WGSL kernels against the float64 reference backend. Inputs are float32-representable random
 * values fed to both backends; GPU outputs are NaN-poisoned before each kernel runs (an element the kernel forgot
 * stays NaN and fails the comparison).
 */
export const reference = referenceBackend;

/** One device per test file, with poisoned outputs. Call at the top of a describe block. */
export function useGpuTensors(): () => GpuTensors {
  let gpu: GpuContext | undefined;
  let tensors: GpuTensors | undefined;
  beforeAll(async () => {
    gpu = await openNodeGpu();
    tensors = new GpuTensors(createDispatchContext(gpu, readShaderFile), { poisonOutputs: true });
  }, 30_000);
  afterAll(() => gpu?.destroy());
  return () => tensors!;
}

/** Seeded uniform float32 values in [lo, hi) (mulberry32): the same numbers go to both backends. */
export function randomValues(shape: Shape, seed: number, lo = -1, hi = 1): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: numElements(shape) }, () => lo + random() * (hi - lo));
}

/** The same values as a tensor on each backend. */
export function both(g: GpuTensors, values: Float32Array, shape: Shape, name: string): { gpu: Tensor; ref: Tensor } {
  return { gpu: g.upload(values, shape, name), ref: reference.upload(values, shape, name) };
}

/**
 * e = max|got − ref| / max|ref| (the golden comparator's metric), NaN-aware: any NaN in got gives Infinity.
 * Shapes must match. Returns e with a description for the assertion message.
 */
export async function relativeError(g: GpuTensors, got: Tensor, want: Tensor): Promise<number> {
  if (formatShape(got.shape) !== formatShape(want.shape)) {
    throw new Error(`shape ${formatShape(got.shape)} != reference ${formatShape(want.shape)}`);
  }
  const [a, b] = [await g.read(got), await reference.read(want)];
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (Number.isNaN(d)) return Infinity;
    maxDiff = Math.max(maxDiff, d);
    maxRef = Math.max(maxRef, Math.abs(b[i]!));
  }
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}

/** The entry points (`family.entry`) that `run` records on g, in order: which kernel path a shape took. */
export function entriesRun<T>(g: GpuTensors, run: () => T): { result: T; entries: string[] } {
  const { result, records } = captureDispatches(g.ctx, run);
  return { result, entries: records.map((r) => r.label) };
}
