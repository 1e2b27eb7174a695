import { invariant } from '../../errors.ts';

/**
 * Invocations per workgroup for every 1-D kernel, passed to WGSL as `override WG`. 64 is a multiple of every
 * SIMD width in sight (llvmpipe's 8 lanes, 32/64-wide GPU waves) and half the 128 invocations a compatibility
 * device allows by default.
 */
export const WORKGROUP_SIZE = 64;

/** WebGPU's default and usual `maxComputeWorkgroupsPerDimension` (65535 on llvmpipe too). */
export const MAX_WORKGROUPS_PER_DIMENSION = 65_535;

/**
 * Workgroup counts (x, y) covering `total` invocations of `workgroupSize` each. Above the per-dimension limit the
 * groups are split over y with x as even as possible; kernels rebuild the flat index as
 * `i = gid.x + gid.y * n.x * WG` and guard `i >= total`, since up to y − 1 extra groups run.
 */
export function dispatchSize(
  total: number,
  workgroupSize = WORKGROUP_SIZE,
  maxPerDimension = MAX_WORKGROUPS_PER_DIMENSION,
): readonly [x: number, y: number] {
  invariant(Number.isInteger(total) && total >= 0, `dispatchSize: total must be a non-negative integer, got ${total}`);
  const groups = Math.ceil(total / workgroupSize);
  const y = Math.max(1, Math.ceil(groups / maxPerDimension));
  invariant(y <= maxPerDimension, `dispatchSize: ${total} invocations need more than ${maxPerDimension}² workgroups`);
  return [Math.ceil(groups / y), y];
}

/**
 * vec4s each invocation of a vectorized elementwise kernel handles, in a grid-stride loop. llvmpipe pays its
 * per-lane load/store loop once per access whatever the width, so a vec4 access costs about what a scalar one
 * does: relu over 18.3M elements ran 1.8× faster with one vec4 per invocation than with one f32, 2.1× with two
 * (measured side by side on this machine; 8 f32 per invocation without vec4: 1.4×).
 */
export const VECTORS_PER_INVOCATION = 2;

/**
 * The dispatches of a vec4 elementwise kernel over `numElements`: `entry` over the whole vec4s, then
 * `<entry>Tail` for the last numElements % 4 elements (one invocation each, scalar bindings: a vec4 binding of a
 * buffer shorter than the next multiple of 16 bytes would clamp that last vec4 onto the one before). Also the
 * Params values such kernels share: `vectors` (whole vec4s), `stride` (invocations of `entry`), `total`.
 */
export function vectorPasses(entry: string, numElements: number): {
  readonly passes: readonly (readonly [entry: string, invocations: number])[];
  readonly values: { readonly vectors: number; readonly stride: number; readonly total: number };
} {
  const vectors = Math.floor(numElements / 4);
  const stride = Math.ceil(vectors / VECTORS_PER_INVOCATION);
  const tail = numElements - 4 * vectors;
  const passes: (readonly [string, number])[] = [];
  if (stride > 0) passes.push([entry, stride]);
  if (tail > 0) passes.push([`${entry}Tail`, tail]);
  return { passes, values: { vectors, stride, total: numElements } };
}
