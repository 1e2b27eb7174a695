// simd.ts: f32x4 helpers the network kernels share (no memory of their own). Lengths off the vector width end in a
// partial vector: loads read it whole (arena.ts keeps 64 readable bytes past every tensor) and mask the lanes past
// the end; stores write only the lanes inside, since the element after a tensor may belong to another one.

/** Bytes of one f32. */
export const F32: usize = 4;
/** f32 lanes of a v128. */
export const LANES: i32 = 4;

/** Byte address of f32 element `i` of the array at `base`. */
@inline export function at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/** A lane mask with lanes [0, count) all ones and the rest zero (count 0..4): v128.and keeps exactly those lanes. */
@inline export function laneMask(count: i32): v128 {
  const lane = i32x4(0, 1, 2, 3);
  return i32x4.lt_s(lane, i32x4.splat(count));
}

/** Stores lanes [0, count) of v at ptr (count 1..4), leaving the memory past them untouched. */
@inline export function storeLanes(ptr: usize, v: v128, count: i32): void {
  if (count >= 4) {
    v128.store(ptr, v);
  } else if (count == 3) {
    v128.store64_lane(ptr, v, 0);
    v128.store32_lane(ptr, v, 2, 8);
  } else if (count == 2) {
    v128.store64_lane(ptr, v, 0);
  } else if (count == 1) {
    v128.store32_lane(ptr, v, 0);
  }
}

/** Sum of the four lanes. */
@inline export function lanesSum(v: v128): f32 {
  const pairs = f32x4.add(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(pairs, 0) + f32x4.extract_lane(pairs, 1);
}

/**
 * The lane sums of four vectors in one: [Σ a, Σ b, Σ c, Σ d] (a 4×4 transpose folded into three adds), for
 * kernels that finish four dot products at once.
 */
@inline export function transposeSum(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7)); // a0+a2 b0+b2 a1+a3 b1+b3
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

/** Copies n f32 from src to dst (regions must not overlap): whole vectors, then a scalar tail. */
@inline export function copyF32(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + LANES <= n; i += LANES) v128.store(at(dst, i), v128.load(at(src, i)));
  for (; i < n; i++) store<f32>(at(dst, i), load<f32>(at(src, i)));
}
