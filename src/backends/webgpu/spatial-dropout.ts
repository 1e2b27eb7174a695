import type { DropoutAttrs, TrainingKernels } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import { vectorPasses } from './dispatch-size.ts';
import { type ChannelWalk, ELEMENTWISE_VECTORS, slabWalk } from './channel-walk.ts';
import { packParams, type ParamsFields, type ParamsValues } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/spatial-dropout.wgsl, field for field. */
export const params = [
  ['total', 'u32'],
  ['mid', 'u32'],
  ['chans', 'u32'],
  ['chunkRows', 'u32'],
  ['chunks', 'u32'],
  ['seed', 'u32'],
  ['stream', 'u32'],
  ['step', 'u32'],
  ['keepBelow', 'u32'],
  ['scale', 'f32'],
  ['vectors', 'u32'],
  ['stride', 'u32'],
  ['relu', 'u32'],
  ['eps', 'f32'],
] as const satisfies ParamsFields;

/**
 * Rows m one invocation writes after hashing its (b, c) once. 32 cuts the hash work 32-fold and still gives the
 * TF-fusion dropout at batch 64 (M = 188·39) 64·230·39 ≈ 574k invocations; the TAB dropout (M = T) gets B·6·39.
 */
export const DROPOUT_CHUNK_ROWS = 32;

/** x seen as (B, M, C), with its channel-aligned vec4 walk when the slabs x[b] are whole vec4s. */
interface Slabs {
  readonly batch: number;
  readonly mid: number;
  readonly chans: number;
  readonly walk: ChannelWalk | undefined;
}
function slabsOf(x: Tensor): Slabs {
  const [batch, chans] = [x.shape[0]!, x.shape[x.shape.length - 1]!];
  const mid = x.numElements / (batch * chans);
  return { batch, mid, chans, walk: slabWalk(batch, mid * chans, chans, ELEMENTWISE_VECTORS) };
}

/** Params of a vec4-walk pass (forwardVec4, normalizedVec4) over `walk`: B · stride invocations. */
function walkParams({ batch, mid, chans }: Slabs, walk: ChannelWalk, attrs: DropoutAttrs, relu: 0 | 1, eps: number): ParamsValues<typeof params> {
  const { seed, stream, step, keepBelow, scale } = attrs;
  const { vectors, stride } = walk;
  return { total: batch * stride, mid, chans, chunkRows: 0, chunks: 0, seed, stream, step, keepBelow, scale, vectors, stride, relu, eps };
}

/**
 * The spatialDropout family of the Backend interface (src/runtime/backend.ts) on GPU tensors: x seen as
 * (B, M, C), one keep/drop per (b, c) from the counter hash of src/runtime/random.ts, kept values times scale.
 * Slabs of whole vec4s take the channel-aligned vec4 walk, others the scalar chunk grid. reluForward is the same
 * pass with max(x, 0) first; reluBackward an elementwise vec4 pass.
 */
export function spatialDropoutTraining(g: GpuTensors): TrainingKernels['spatialDropout'] {
  const masked = (x: Tensor, attrs: DropoutAttrs, relu: 0 | 1): Tensor => {
    const slabs = slabsOf(x);
    const y = g.output(x.shape, 'spatial-dropout.y');
    if (slabs.walk !== undefined) {
      const values = walkParams(slabs, slabs.walk, attrs, relu, 0);
      g.run('spatial-dropout', 'forwardVec4', packParams(params, values), [x, y], values.total);
      return y;
    }
    const { batch, mid, chans } = slabs;
    const chunks = Math.ceil(mid / DROPOUT_CHUNK_ROWS);
    const total = batch * chunks * chans;
    const values = { ...attrs, total, mid, chans, chunkRows: DROPOUT_CHUNK_ROWS, chunks, vectors: 0, stride: 0, relu, eps: 0 };
    g.run('spatial-dropout', 'forward', packParams(params, values), [x, y], total);
    return y;
  };
  return {
    forward: (x, attrs) => masked(x, attrs, 0),
    reluForward: (x, attrs) => masked(x, attrs, 1),
    reluBackward(dy, y, { scale }) {
      const dx = g.output(dy.shape, 'spatial-dropout.dx');
      const { passes, values } = vectorPasses('reluBackward', dy.numElements);
      const unused = { mid: 0, chans: 0, chunkRows: 0, chunks: 0, seed: 0, stream: 0, step: 0, keepBelow: 0, relu: 0, eps: 0 };
      const words = packParams(params, { ...unused, ...values, scale });
      for (const [pass, invocations] of passes) g.run('spatial-dropout', pass, words, [dy, y, dx], invocations);
      return dx;
    },
  };
}

/** BatchNorm's batch statistics and affine parameters, each (C), for `normalizedReluDropout`. */
export interface Normalization {
  readonly mean: Tensor;
  readonly variance: Tensor;
  readonly beta: Tensor;
  readonly gamma: Tensor;
  readonly eps: number;
}

/**
 * reluForward(BatchNorm(x)) in one pass (shaders/spatial-dropout.wgsl `normalizedVec4`) when x's slabs are whole
 * vec4s; undefined otherwise (the caller normalizes, then runs reluForward).
 */
export function normalizedReluDropout(g: GpuTensors, x: Tensor, bn: Normalization, attrs: DropoutAttrs): Tensor | undefined {
  const slabs = slabsOf(x);
  if (slabs.walk === undefined) return undefined;
  const values = walkParams(slabs, slabs.walk, attrs, 1, bn.eps);
  const y = g.output(x.shape, 'spatial-dropout.y');
  g.run('spatial-dropout', 'normalizedVec4', packParams(params, values), [x, bn.mean, bn.variance, bn.beta, bn.gamma, y], values.total);
  return y;
}
