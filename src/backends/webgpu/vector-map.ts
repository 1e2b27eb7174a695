import type { Tensor } from '../../runtime/tensor.ts';
import { vectorPasses } from './dispatch-size.ts';
import { packParams, type ParamsFields } from './params.ts';
import type { GpuTensors } from './tensors.ts';

/** `struct Params` of the elementwise kernels that read and write vec4s (relu.wgsl, sigmoid.wgsl, add.wgsl), field for field. */
export const vectorMapParams = [
  ['vectors', 'u32'],
  ['stride', 'u32'],
  ['total', 'u32'],
] as const satisfies ParamsFields;

/**
 * Records an elementwise entry point of shaders/<family>.wgsl over `numElements`: `entry` over the whole vec4s,
 * then `<entry>Tail` for the last numElements % 4 elements (dispatch-size.ts `vectorPasses`).
 */
export function runVectorMap(g: GpuTensors, family: string, entry: string, tensors: readonly Tensor[], numElements: number): void {
  const { passes, values } = vectorPasses(entry, numElements);
  const words = packParams(vectorMapParams, values);
  for (const [pass, invocations] of passes) g.run(family, pass, words, tensors, invocations);
}
