import type { FusedInferenceKernels } from '../../runtime/backend.ts';
import { packParams, type ParamsFields, type ParamsValues } from './params.ts';
import type { GpuTensors } from './tensors.ts';
import type { Tensor } from '../../runtime/tensor.ts';

/** `struct Params` of shaders/tab-inference.wgsl, field for field. */
export const params = [
  ['batch', 'u32'],
  ['time', 'u32'],
  ['chans', 'u32'],
  ['taps', 'u32'],
  ['dilation', 'u32'],
  ['block', 'u32'],
  ['total', 'u32'],
] as const satisfies ParamsFields;

/** Output channels per first/second invocation: `CHANNELS` in shaders/tab-inference.wgsl. */
const TILE = 8;

/** Time steps per first/second invocation: `SPAN` in shaders/tab-inference.wgsl. */
const SPAN = 4;

/** Params for a direction-stacked activation (2B, T, C); one invocation per (n, SPAN steps, channel tile). */
function convParams(h: Tensor, taps: number, dilation: number, block: number): ParamsValues<typeof params> {
  const [stacked, time, chans] = h.shape as [number, number, number];
  return { batch: stacked / 2, time, chans, taps, dilation, block, total: stacked * Math.ceil(time / SPAN) * Math.ceil(chans / TILE) };
}

/** tab-inference on GPU tensors: both directions per dispatch (see the WGSL header). */
export function tabInferenceInference(g: GpuTensors): FusedInferenceKernels['tabInference'] {
  return {
    stack: (h, { blocks }) => g.output([blocks, ...h.shape], 'tab-inference.stack'),
    first(h, w, b, { taps, dilation }) {
      const a = g.output(h.shape, 'tab-inference.a');
      const values = convParams(h, taps, dilation, 0);
      g.run('tab-inference', 'first', packParams(params, values), [h, w, b, a], values.total);
      return a;
    },
    second(a, w, b, h, stack, { taps, dilation, block }) {
      const y = g.output(h.shape, 'tab-inference.y');
      const values = convParams(h, taps, dilation, block);
      g.run('tab-inference', 'second', packParams(params, values), [a, w, b, h, y, stack], values.total);
      return y;
    },
    pool(stack, wsum) {
      const [blocks, stacked, time, chans] = stack.shape as [number, number, number, number];
      const z = g.output([stacked / 2, chans], 'tab-inference.z');
      const values = { batch: stacked / 2, time, chans, taps: 0, dilation: 0, block: blocks, total: z.numElements };
      g.run('tab-inference', 'pool', packParams(params, values), [stack, wsum, z], values.total);
      return z;
    },
  };
}
