/**
 * Channel-aligned vec4 walks: the memory order of every per-channel kernel on channels-last tensors (batch-norm,
 * the SE gate of mul, spatial-dropout, reduce-sum; the header of shaders/batch-norm.wgsl has the measurements).
 * A tensor is seen as `slabs` slabs of `vectors` whole vec4s; invocation (s, j), j < stride, visits vec4s
 * j, j + stride, j + 2·stride, … of slab s. The stride is a multiple of C, so lane k of every vec4 the invocation
 * visits holds channel (4j + k) mod C, and its per-channel factors are loaded once, with no index division per
 * element. Neighbouring invocations touch neighbouring vec4s at every step (llvmpipe ran this 2.5× faster than
 * walking a channel's column).
 */

/** vec4s per invocation of an elementwise walk: the fastest of 2, 4, 8, 16 on llvmpipe (measured on relu). */
export const ELEMENTWISE_VECTORS = 8;

/**
 * vec4s per invocation of a partial-sum walk, whose partials are then summed by reduce-sum's tree: 16 keeps the
 * partials to 1/16 of the input and each lane's serial f32 sum to 16 terms.
 */
export const PARTIAL_VECTORS = 16;

/** A channel-aligned walk over `slabs` slabs of `vectors` vec4s each: `stride` invocations per slab. */
export interface ChannelWalk {
  readonly slabs: number;
  readonly chans: number;
  readonly vectors: number;
  readonly stride: number;
}

/** The stride giving each invocation about `perInvocation` of `vectors` vec4s: a multiple of C. */
export function channelStride(vectors: number, chans: number, perInvocation: number): number {
  return chans * Math.ceil(vectors / chans / perInvocation);
}

/**
 * The walk over a channels-last tensor seen as (slabs, slabElements) with C channels, when every slab is whole
 * vec4s (slabElements a multiple of 4) and holds at least C of them (else most of the stride's C invocations would
 * idle); otherwise undefined, and the caller runs its scalar kernel.
 */
export function slabWalk(slabs: number, slabElements: number, chans: number, perInvocation: number): ChannelWalk | undefined {
  const vectors = slabElements / 4;
  if (!Number.isInteger(vectors) || vectors < chans) return undefined;
  return { slabs, chans, vectors, stride: channelStride(vectors, chans, perInvocation) };
}

/**
 * Rows of the per-channel partials a partial-sum walk writes, seen as (slabs, rows, C): one vec4 per invocation,
 * so 4 · stride / C rows per slab.
 */
export function partialRows(walk: ChannelWalk): number {
  return (4 * walk.stride) / walk.chans;
}
