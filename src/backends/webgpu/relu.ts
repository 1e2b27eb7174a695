import { invariant } from '../../errors.ts';
import { dispatch, type DispatchContext } from './dispatch.ts';
import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { vectorPasses } from './dispatch-size.ts';
import { packParams } from './params.ts';
import type { GpuTensors } from './tensors.ts';
import { runVectorMap, vectorMapParams } from './vector-map.ts';

/**
 * `struct Params` of shaders/relu.wgsl, field for field. Every shaders/<family>.wgsl has its wrapper here exporting
 * `params`; test/backends/webgpu/params.test.ts parses the WGSL struct and compares.
 */
export const params = vectorMapParams;

/** y = max(x, 0) elementwise over the first `numElements` f32 of x into y (shaders/relu.wgsl `forward`). */
export function reluForward(k: DispatchContext, x: GPUBuffer, y: GPUBuffer, numElements: number): void {
  run(k, 'forward', [x, y], numElements);
}

/** dx = dy where x > 0, else 0, over `numElements` f32 (shaders/relu.wgsl `backward`). */
export function reluBackward(k: DispatchContext, x: GPUBuffer, dy: GPUBuffer, dx: GPUBuffer, numElements: number): void {
  run(k, 'backward', [x, dy, dx], numElements);
}

function run(k: DispatchContext, entry: 'forward' | 'backward', buffers: readonly GPUBuffer[], numElements: number): void {
  for (const buffer of buffers) {
    invariant(buffer.size >= numElements * 4, `relu.${entry}: buffer '${buffer.label}' holds ${buffer.size} bytes, fewer than ${numElements} f32`);
  }
  const { passes, values } = vectorPasses(entry, numElements);
  const words = packParams(vectorMapParams, values);
  for (const [pass, invocations] of passes) dispatch(k, 'relu', pass, words, buffers, invocations);
}

/** The relu family of the kernel interface (src/runtime/backend.ts) on GPU tensors. */
export function reluInference(g: GpuTensors): InferenceKernels['relu'] {
  return {
    forward(x) {
      const y = g.output(x.shape, 'relu.y');
      runVectorMap(g, 'relu', 'forward', [x, y], x.numElements);
      return y;
    },
  };
}

export function reluTraining(g: GpuTensors): TrainingKernels['relu'] {
  return {
    // y > 0 exactly where x > 0, so the saved output stands in for the input.
    backward(dy, y) {
      const dx = g.output(dy.shape, 'relu.dx');
      runVectorMap(g, 'relu', 'backward', [y, dy, dx], dy.numElements);
      return dx;
    },
  };
}
