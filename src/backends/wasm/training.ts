import { withTraining, type Backend, type TrainingKernels } from '../../runtime/backend.ts';
import { adamTraining } from './adam.ts';
import { batchNormTraining } from './batch-norm.ts';
import { concatTraining } from './concat.ts';
import { conv1dCausalTraining } from './conv1d-causal.ts';
import { conv2dTraining } from './conv2d.ts';
import { denseTraining } from './dense.ts';
import type { NetworkTrainingExports } from './exports.ts';
import { wasmInferenceOn } from './inference.ts';
import { mulTraining } from './mul.ts';
import { reduceSumTraining } from './reduce-sum.ts';
import { reluTraining } from './relu.ts';
import { sigmoidTraining } from './sigmoid.ts';
import { softmaxCrossEntropyTraining } from './softmax-cross-entropy.ts';
import { spatialDropoutTraining } from './spatial-dropout.ts';
import { openWasmTensors, type WasmBackendExtras, type WasmOptions } from './open.ts';
import type { WasmTensors } from './tensors.ts';
import { weightedSumTraining } from './weighted-sum.ts';

/**
 * The wasm backend's training part over `w`: every training kernel of src/runtime/backend.ts as a call into
 * build/network-train.wasm. Weight-gradient and statistics reductions run in an order set by the shapes alone
 * (kernels/network/accumulate.ts), so a step gives the same bits every time.
 */
export function wasmTrainingOn(w: WasmTensors<NetworkTrainingExports>): TrainingKernels {
  return {
    reduceSum: reduceSumTraining(w),
    relu: reluTraining(w),
    sigmoid: sigmoidTraining(w),
    mul: mulTraining(w),
    spatialDropout: spatialDropoutTraining(w),
    concat: concatTraining(w),
    dense: denseTraining(w),
    conv2d: conv2dTraining(w),
    conv1dCausal: conv1dCausalTraining(w),
    batchNorm: batchNormTraining(w),
    weightedSum: weightedSumTraining(w),
    softmaxCrossEntropy: softmaxCrossEntropyTraining(w),
    adam: adamTraining(w),
  };
}

/** The whole 'wasm' backend (inference and training kernels) on `w`. */
export function wasmBackendOn(w: WasmTensors<NetworkTrainingExports>): Backend & WasmBackendExtras {
  return withTraining(wasmInferenceOn(w), wasmTrainingOn(w));
}

/**
 * Instantiates build/network-train.wasm from its bytes (browser-safe) and returns the whole 'wasm' backend, inference
 * and training, on its memory (a shared one: that build always takes `threads`, 1 or more). `poisonOutputs`
 * NaN-fills every output before its kernel runs (tests).
 */
export async function createWasmBackend(
  wasmBytes: Uint8Array,
  options: WasmOptions & Required<Pick<WasmOptions, 'threads'>>,
): Promise<Backend & WasmBackendExtras> {
  return wasmBackendOn(await openWasmTensors<NetworkTrainingExports>(wasmBytes, options));
}
