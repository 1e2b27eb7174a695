import type { SeGateWeights } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
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

/**
 * SE's gate times the 1×1 conv weight from tf-path.squeeze's block sums `partial` (2B, U, S, C) → (2B, C):
 * se-gate.squeeze (the mean, `scale` = 1 / (P·T·F)), then se-gate.forward (both Dense layers, the sigmoid, w1x1),
 * each one invocation per (direction-stacked sample, channel).
 */
export function seGate(g: GpuTensors, partial: Tensor, { fc1w, fc1b, fc2w, fc2b, w1x1 }: SeGateWeights, scale: number): Tensor {
  const [stacked, time, spans, chans] = partial.shape as [number, number, number, number];
  const gate = g.output([stacked, chans], 'se-gate.gate');
  const values = { batch: stacked / 2, time: time * spans, chans, scale, total: gate.numElements };
  const squeezed = g.output([stacked, chans], 'se-gate.squeezed');
  g.run('se-gate', 'squeeze', packParams(params, values), [partial, squeezed], values.total);
  g.run('se-gate', 'forward', packParams(params, values), [squeezed, fc1w, fc1b, fc2w, fc2b, w1x1, gate], values.total);
  g.release(squeezed);
  return gate;
}
