import type { Conv1dAttrs, Kernels } from '../../runtime/backend.ts';
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
  ['total', 'u32'],
] as const satisfies ParamsFields;

/** Edge of the shader's register tiles (`TILE`, the lanes of a vec4f): one invocation owns TILE × TILE outputs. */
const TILE = 4;

function tiles(size: number): number {
  return Math.ceil(size / TILE);
}

interface Dims {
  readonly batch: number;
  readonly time: number;
  readonly cin: number;
  readonly cout: number;
}

function pack({ batch, time, cin, cout }: Dims, { taps, dilation }: Conv1dAttrs, total: number): Uint32Array {
  const rows = batch * time;
  return packParams(params, { time, cin, cout, taps, dilation, rows, chunkRows: CHUNK_ROWS, chunks: chunkCount(rows), total });
}

/** The conv1dCausal family of the Backend interface (src/runtime/backend.ts) on GPU tensors. */
export function conv1dCausalKernels(g: GpuTensors): Kernels['conv1dCausal'] {
  return {
    forward(x, w, bias, attrs) {
      const dims = { batch: x.shape[0]!, time: x.shape[1]!, cin: x.shape[2]!, cout: w.shape[0]! };
      const y = g.output([dims.batch, dims.time, dims.cout], 'conv1d-causal.y');
      const total = dims.batch * tiles(dims.time) * tiles(dims.cout);
      g.run('conv1d-causal', 'forward', pack(dims, attrs, total), [x, w, bias, y], total);
      return y;
    },

    backwardInput(dy, w, attrs) {
      const dims = { batch: dy.shape[0]!, time: dy.shape[1]!, cin: w.shape[1]!, cout: dy.shape[2]! };
      const dx = g.output([dims.batch, dims.time, dims.cin], 'conv1d-causal.dx');
      const total = dims.batch * tiles(dims.time) * tiles(dims.cin);
      g.run('conv1d-causal', 'backwardInput', pack(dims, attrs, total), [dy, w, dx], total);
      return dx;
    },

    // Partial sums per chunk of B·T rows, then reduce-sum's tree over the chunks (see shaders/conv1d-causal.wgsl).
    backwardWeight(dy, x, attrs) {
      const dims = { batch: dy.shape[0]!, time: dy.shape[1]!, cin: x.shape[2]!, cout: dy.shape[2]! };
      const chunks = chunkCount(dims.batch * dims.time);
      const weights = dims.cout * dims.cin * attrs.taps;
      const partials = g.output([chunks, weights], 'conv1d-causal.dwPartials');
      const total = chunks * attrs.taps * tiles(dims.cout) * tiles(dims.cin);
      g.run('conv1d-causal', 'backwardWeight', pack(dims, attrs, total), [dy, x, partials], total);
      const shape = [dims.cout, dims.cin, attrs.taps];
      return sumRuns(g, partials, { outer: 1, reduced: chunks, inner: weights }, 1, shape, 'conv1d-causal.dw');
    },
  };
}
