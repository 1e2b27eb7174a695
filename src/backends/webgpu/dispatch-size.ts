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
