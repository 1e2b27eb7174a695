/**
 * TensorFlow.js on its WebAssembly backend (tfjs-core + tfjs-backend-wasm), running MS-SENet as written in
 * tfjs-msse.ts, one thread. Also what TensorFlow.js does when asked for the gradients training needs.
 */
import type * as Tf from '@tensorflow/tfjs-core';
import type { MsseConfig } from '../../src/model/config.ts';
import type { FoldedTensor } from '../../src/model/fold-batch-norm.ts';
import { importPeer } from './load-peer.ts';
import { createTfjsMsse, type TfModule } from './tfjs-msse.ts';

export interface TfjsWasm {
  /** e.g. `@tensorflow/tfjs-core 4.22.0 + tfjs-backend-wasm 4.22.0`. */
  readonly version: string;
  readonly tf: TfModule;
  logits(x: Float32Array, batch: number, frames: number): Promise<Float32Array>;
  close(): void;
}

/** TensorFlow.js with the wasm backend active and `threads` threads (set before the backend starts). */
export async function startTfjsWasm(threads: number): Promise<{ tf: TfModule; version: string }> {
  const tf = await importPeer('@tensorflow/tfjs-core');
  const wasm = await importPeer('@tensorflow/tfjs-backend-wasm');
  wasm.setThreadsCount(threads);
  if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js: the wasm backend did not initialise');
  return { tf, version: `@tensorflow/tfjs-core ${tf.version_core} + tfjs-backend-wasm ${wasm.version_wasm}` };
}

/** MS-SENet in TensorFlow.js on the wasm backend, from inference parameters (foldBatchNorm's result). */
export async function openTfjsWasm(config: MsseConfig, params: ReadonlyMap<string, FoldedTensor>, threads: number): Promise<TfjsWasm> {
  const { tf, version } = await startTfjsWasm(threads);
  const net = createTfjsMsse(tf, config, params);
  return { version, tf, logits: (x, batch, frames) => net.logits(x, batch, frames), close: () => net.dispose() };
}

/**
 * Asks TensorFlow.js for the weight gradient of a TAB's convolution (batch 2, T = 188, 39 → 39 channels, K = 2),
 * as training would, at dilation 2 (every TAB after the first) and at dilation 1, and returns what happened, one
 * sentence each: the errors TensorFlow.js throws, verbatim.
 */
export function tfjsTrainingProbe(tf: TfModule): string {
  const x = tf.randomNormal([2, 1, 188, 39]) as Tf.Tensor4D;
  const w = tf.randomNormal([1, 2, 39, 39]) as Tf.Tensor4D;
  const bias = tf.zeros([39]) as Tf.Tensor1D;
  const outcome = (dilation: number): string => {
    // activation 'linear': a fused conv keeps its own gradient under a tape (with ReLU it falls back to unfused ops,
    // whose gradients tfjs-core's Node build does not register at all).
    const conv = (filter: Tf.Tensor) =>
      tf.fused.conv2d({ x, filter: filter as typeof w, strides: 1, pad: 'valid', dilations: [1, dilation], bias, activation: 'linear' });
    try {
      const dy = tf.tidy(() => tf.onesLike(conv(w)));
      tf.grad(conv)(w, dy).dispose();
      dy.dispose();
      return `dilation ${dilation}: the gradient computed`;
    } catch (error) {
      return `dilation ${dilation}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    }
  };
  try {
    return `TensorFlow.js weight gradient of a TAB convolution on wasm: ${outcome(2)}; ${outcome(1)}`;
  } finally {
    for (const t of [x, w, bias]) t.dispose();
  }
}
