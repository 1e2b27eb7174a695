import type { Conv1dAttrs, InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import { packParams, type ParamsFields } from './params.ts';
import { chunkCount, CHUNK_ROWS, sumRuns } from './reduce-sum.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/conv1d-causal.wgsl, field for field (test/backends/webgpu/params.test.ts compares). */
export const params = [
  ['time', 'u32'],
  ['cin', 'u32'],
  ['cout', 'u32'],
  ['taps', 'u32'],
  ['dilation', 'u32'],
  ['rows', 'u32'],
  ['chunkRows', 'u32'],
  ['chunks', 'u32'],
  ['lanes', 'u32'],
  ['total', 'u32'],
] as const satisfies ParamsFields;

/** forward and backwardInput tiles (the shader's SPAN, LANES): time steps × channels per invocation. */
const SPAN = 4;
const LANES = 8;
/** backwardWeight tiles (the shader's EDGE): output × input channels per invocation, for a pair of taps. */
const EDGE = 4;

function ceilDiv(size: number, part: number): number {
  return Math.ceil(size / part);
}

interface Dims {
  readonly batch: number;
  readonly time: number;
  readonly cin: number;
  readonly cout: number;
}

/** Which channel axis lies along wPacked's vec4 lanes (Params.lanes): the axis forward or backwardInput writes. */
type Lanes = 'output' | 'input';

function pack({ batch, time, cin, cout }: Dims, { taps, dilation }: Conv1dAttrs, total: number, lanes: Lanes = 'output'): Uint32Array {
  const rows = batch * time;
  return packParams(params, {
    time, cin, cout, taps, dilation, rows, chunkRows: CHUNK_ROWS, chunks: chunkCount(rows), lanes: lanes === 'output' ? 0 : 1, total,
  });
}

/**
 * w (Cout, Cin, K) laid out as wPacked (K, A, ⌈C/4⌉·4) for the shader's vec4 weight loads: C = Cout along the
 * lanes for forward ('output'), C = Cin for backwardInput ('input'), zero-padded.
 */
function packWeights(g: GpuTensors, w: Tensor, dims: Dims, attrs: Conv1dAttrs, lanes: Lanes): Tensor {
  const [across, along] = lanes === 'output' ? [dims.cin, dims.cout] : [dims.cout, dims.cin];
  const shape = [attrs.taps, across, ceilDiv(along, 4) * 4];
  const packed = g.output(shape, 'conv1d-causal.wPacked');
  const total = shape[0]! * shape[1]! * shape[2]!;
  g.run('conv1d-causal', 'packWeights', pack(dims, attrs, total, lanes), [w, packed], total);
  return packed;
}

/** The conv1dCausal family of the kernel interface (src/runtime/backend.ts) on GPU tensors. */
export function conv1dCausalInference(g: GpuTensors): InferenceKernels['conv1dCausal'] {
  return {
    forward(x, w, bias, attrs) {
      const dims = { batch: x.shape[0]!, time: x.shape[1]!, cin: x.shape[2]!, cout: w.shape[0]! };
      const packed = packWeights(g, w, dims, attrs, 'output');
      const y = g.output([dims.batch, dims.time, dims.cout], 'conv1d-causal.y');
      const total = dims.batch * ceilDiv(dims.time, SPAN) * ceilDiv(dims.cout, LANES);
      g.run('conv1d-causal', 'forward', pack(dims, attrs, total), [x, packed, bias, y], total);
      g.release(packed);
      return y;
    },
  };
}

export function conv1dCausalTraining(g: GpuTensors): TrainingKernels['conv1dCausal'] {
  return {
    backwardInput(dy, w, attrs) {
      const dims = { batch: dy.shape[0]!, time: dy.shape[1]!, cin: w.shape[1]!, cout: dy.shape[2]! };
      const packed = packWeights(g, w, dims, attrs, 'input');
      const dx = g.output([dims.batch, dims.time, dims.cin], 'conv1d-causal.dx');
      const total = dims.batch * ceilDiv(dims.time, SPAN) * ceilDiv(dims.cin, LANES);
      g.run('conv1d-causal', 'backwardInput', pack(dims, attrs, total), [dy, packed, dx], total);
      g.release(packed);
      return dx;
    },

    // Partial sums per chunk of B·T rows, then reduce-sum's tree over the chunks (see shaders/conv1d-causal.wgsl).
    backwardWeight(dy, x, attrs) {
      const dims = { batch: dy.shape[0]!, time: dy.shape[1]!, cin: x.shape[2]!, cout: dy.shape[2]! };
      const chunks = chunkCount(dims.batch * dims.time);
      const weights = dims.cout * dims.cin * attrs.taps;
      const partials = g.output([chunks, weights], 'conv1d-causal.dwPartials');
      const total = chunks * ceilDiv(attrs.taps, 2) * ceilDiv(dims.cout, EDGE) * ceilDiv(dims.cin, EDGE);
      g.run('conv1d-causal', 'backwardWeight', pack(dims, attrs, total), [dy, x, partials], total);
      const shape = [dims.cout, dims.cin, attrs.taps];
      const dw = sumRuns(g, partials, { outer: 1, reduced: chunks, inner: weights }, 1, shape, 'conv1d-causal.dw');
      g.release(partials);
      return dw;
    },
  };
}
