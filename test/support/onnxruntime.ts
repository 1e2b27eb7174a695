import * as ort from 'onnxruntime-web';

/** ONNX Runtime Web's graph optimisation levels that the tests run at. */
export type OptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

/**
 * An onnxruntime-web session on the WebAssembly execution provider, in Node (the package's `node` export loads the
 * .wasm from its own dist/). One thread: no worker threads, deterministic sums.
 */
export function ortSession(bytes: Uint8Array, graphOptimizationLevel: OptimizationLevel): Promise<ort.InferenceSession> {
  ort.env.wasm.numThreads = 1;
  return ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel });
}

/** A float32 input tensor. */
export function ortFloats(data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
}
