import type { InferenceKernels, ReduceAttrs, TrainingKernels } from '../../runtime/backend.ts';
import { numElements, type Shape, type Tensor } from '../../runtime/tensor.ts';
import { type ChannelWalk, ELEMENTWISE_VECTORS, PARTIAL_VECTORS, partialRows, slabWalk } from './channel-walk.ts';
import { packParams, type ParamsFields, type ParamsValues } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/reduce-sum.wgsl, field for field (test/backends/webgpu/params.test.ts compares). */
export const params = [
  ['reduced', 'u32'],
  ['inner', 'u32'],
  ['chunkRows', 'u32'],
  ['chunks', 'u32'],
  ['scale', 'f32'],
  ['total', 'u32'],
  ['vectors', 'u32'],
  ['stride', 'u32'],
] as const satisfies ParamsFields;

/**
 * Rows one invocation adds in a chunked sum (here and in the first pass of conv1d-causal.ts).
 * A serial f32 sum of n terms errs by up to ~n·2⁻²⁴ of Σ|terms|; 256 keeps that below 2e-5 per pass, while
 * summing 470k rows (conv2d bias gradients at batch 64) takes three passes, the first with 1836 chunks per column.
 */
export const CHUNK_ROWS = 256;

/**
 * Rows one invocation of reduce-sum's per-element pass (backward) handles: the
 * index divisions and per-channel loads, which llvmpipe pays in scalar code, are shared by 8 elements, and the
 * TF-path tensors still give ~10⁵ invocations.
 */
export const STRIP_ROWS = 8;

/** Chunks of `chunkRows` covering `rows` (at least 1, so an empty run still writes its zero sums). */
export function chunkCount(rows: number, chunkRows = CHUNK_ROWS): number {
  return Math.max(1, Math.ceil(rows / chunkRows));
}

/** x seen as (outer, reduced, inner): the axes before the run, the run flattened, the axes after it. */
export interface RunDims {
  readonly outer: number;
  readonly reduced: number;
  readonly inner: number;
}

/**
 * y[o, i] = scale · Σ_m x[o, m, i] for x (outer, reduced, inner), as a tree of passes of shaders/reduce-sum.wgsl.
 * A long run over whole-vec4 slabs starts with the channel-aligned `forwardVec4` walk (per-inner-index partials,
 * 1/16 of the input); then, and otherwise from the start, `forward` passes sum chunks of CHUNK_ROWS rows into
 * (outer, chunks, inner) partials until one chunk is left; only that last pass applies `scale`. The tree's shape (and
 * so the f32 rounding) depends on the shapes alone. Returns a new tensor of `shape` (outer·inner elements); the
 * partials between passes are freed as soon as the next pass is recorded.
 */
export function sumRuns(g: GpuTensors, x: Tensor, dims: RunDims, scale: number, shape: Shape, label: string): Tensor {
  const { outer, inner } = dims;
  let input = x;
  let rows = dims.reduced;
  const walk = rows > CHUNK_ROWS ? slabWalk(outer, rows * inner, inner, PARTIAL_VECTORS) : undefined;
  if (walk !== undefined) {
    rows = partialRows(walk);
    input = g.output([outer, rows, inner], 'reduce-sum.partials');
    const values = walkValues(walk, inner, 1);
    g.run('reduce-sum', 'forwardVec4', pack(values), [x, input], values.total);
  }
  for (;;) {
    const chunks = chunkCount(rows);
    const last = chunks === 1;
    const total = outer * chunks * inner;
    const out = last ? g.output(shape, label) : g.output([outer, chunks, inner], 'reduce-sum.partials');
    const values = { reduced: rows, inner, chunkRows: CHUNK_ROWS, chunks, scale: last ? scale : 1, total, vectors: 0, stride: 0 };
    g.run('reduce-sum', 'forward', pack(values), [input, out], total);
    if (input !== x) g.release(input);
    if (last) return out;
    input = out;
    rows = chunks;
  }
}

/** Params of a vec4-walk pass (forwardVec4, backwardVec4, backwardAddVec4) over `walk`: outer · stride invocations. */
function walkValues({ slabs, vectors, stride }: ChannelWalk, inner: number, scale: number): ParamsValues<typeof params> {
  return { reduced: 0, inner, chunkRows: 0, chunks: 0, scale, total: slabs * stride, vectors, stride };
}

function pack(values: ParamsValues<typeof params>): Uint32Array {
  return packParams(params, values);
}

function runDims(shape: Shape, { axis, count }: ReduceAttrs): RunDims {
  return {
    outer: numElements(shape.slice(0, axis)),
    reduced: numElements(shape.slice(axis, axis + count)),
    inner: numElements(shape.slice(axis + count)),
  };
}

/** The reduceSum family of the Backend interface (src/runtime/backend.ts) on GPU tensors. */
export function reduceSumInference(g: GpuTensors): InferenceKernels['reduceSum'] {
  return {
    forward(x, attrs) {
      const shape = [...x.shape.slice(0, attrs.axis), ...x.shape.slice(attrs.axis + attrs.count)];
      return sumRuns(g, x, runDims(x.shape, attrs), attrs.scale, shape, 'reduce-sum.y');
    },
  };
}

export function reduceSumTraining(g: GpuTensors): TrainingKernels['reduceSum'] {
  return {
    // backward, or backwardAdd with the addend bound between dy and dx: the same walks.
    backward(dy, like, attrs, addend) {
      const { outer, reduced, inner } = runDims(like.shape, attrs);
      const dx = g.output(like.shape, 'reduce-sum.dx');
      const [entry, tensors] = addend === undefined ? ['backward', [dy, dx]] : ['backwardAdd', [dy, addend, dx]];
      const walk = slabWalk(outer, reduced * inner, inner, ELEMENTWISE_VECTORS);
      if (walk !== undefined) {
        const values = walkValues(walk, inner, attrs.scale);
        g.run('reduce-sum', `${entry}Vec4`, pack(values), tensors, values.total);
        return dx;
      }
      const chunks = chunkCount(reduced, STRIP_ROWS);
      const total = outer * chunks * inner;
      const values = { reduced, inner, chunkRows: STRIP_ROWS, chunks, scale: attrs.scale, total, vectors: 0, stride: 0 };
      g.run('reduce-sum', entry, pack(values), tensors, total);
      return dx;
    },
  };
}
