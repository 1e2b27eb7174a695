import { invariant } from '../../errors.ts';
import { dispatch, type DispatchContext } from './dispatch.ts';
import { VECTORS_PER_INVOCATION } from './dispatch-size.ts';
import { packParams, type ParamsFields } from './params.ts';

/** `struct Params` of shaders/roofline.wgsl, field for field (test/backends/webgpu/params.test.ts compares). */
export const params = [
  ['rounds', 'u32'],
  ['invocations', 'u32'],
  ['vectors', 'u32'],
  ['stride', 'u32'],
  ['scale', 'f32'],
  ['shift', 'f32'],
] as const satisfies ParamsFields;

/** FLOPs of one `multiplyAdd` round of one invocation: CHAINS (8) vec4 multiply-adds, a multiply-add counting 2. */
export const MULTIPLY_ADD_FLOPS_PER_ROUND = 2 * 4 * 8;

/**
 * Records shaders/roofline.wgsl `multiplyAdd`: `invocations` invocations of `rounds` register-only rounds, each storing one
 * vec4 into `sums` (invocations × 16 bytes). Scale and shift keep the chains bounded (|acc| stays near 2).
 */
export function rooflineMultiplyAdd(k: DispatchContext, sums: GPUBuffer, invocations: number, rounds: number): void {
  invariant(sums.size >= invocations * 16, `roofline.multiplyAdd: buffer '${sums.label}' holds ${sums.size} bytes, fewer than ${invocations} vec4`);
  const words = packParams(params, { rounds, invocations, vectors: 0, stride: 0, scale: 0.5, shift: 1 });
  dispatch(k, 'roofline', 'multiplyAdd', words, [sums], invocations, [[invocations, 4]]);
}

/** Records shaders/roofline.wgsl `copy`: the first `vectors` vec4s of x into y. */
export function rooflineCopy(k: DispatchContext, x: GPUBuffer, y: GPUBuffer, vectors: number): void {
  for (const buffer of [x, y]) invariant(buffer.size >= vectors * 16, `roofline.copy: buffer '${buffer.label}' holds ${buffer.size} bytes, fewer than ${vectors} vec4`);
  const stride = Math.ceil(vectors / VECTORS_PER_INVOCATION);
  const words = packParams(params, { rounds: 0, invocations: 0, vectors, stride, scale: 0, shift: 0 });
  dispatch(k, 'roofline', 'copy', words, [x, y], stride, [
    [vectors, 4],
    [vectors, 4],
  ]);
}
