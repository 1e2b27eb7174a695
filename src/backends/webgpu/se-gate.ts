import type { FusedInferenceKernels } from '../../runtime/backend.ts';
import { packParams, type ParamsFields } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of shaders/se-gate.wgsl, field for field. */
export const params = [
  ['batch', 'u32'],
  ['time', 'u32'],
  ['chans', 'u32'],
  ['scale', 'f32'],
  ['total', 'u32'],
] as const satisfies ParamsFields;

/** se-gate on GPU tensors: squeeze, then forward, each one invocation per (direction-stacked sample, channel). */
export function seGateInference(g: GpuTensors): FusedInferenceKernels['seGate'] {
  return {
    forward(partial, fc1w, fc1b, fc2w, fc2b, w1x1, { scale }) {
      const [stacked, time, spans, chans] = partial.shape as [number, number, number, number];
      const gate = g.output([stacked, chans], 'se-gate.gate');
      const values = { batch: stacked / 2, time: time * spans, chans, scale, total: gate.numElements };
      const squeezed = g.output([stacked, chans], 'se-gate.squeezed');
      g.run('se-gate', 'squeeze', packParams(params, values), [partial, squeezed], values.total);
      g.run('se-gate', 'forward', packParams(params, values), [squeezed, fc1w, fc1b, fc2w, fc2b, w1x1, gate], values.total);
      g.release(squeezed);
      return gate;
    },
  };
}
