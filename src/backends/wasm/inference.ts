import type { FusedInferenceBackend } from '../../runtime/backend.ts';
import { addInference } from './add.ts';
import { batchNormInference } from './batch-norm.ts';
import { concatInference } from './concat.ts';
import { conv1dCausalInference } from './conv1d-causal.ts';
import { conv2dInference } from './conv2d.ts';
import { denseInference } from './dense.ts';
import { directionDenseInference } from './direction-dense.ts';
import { mulInference } from './mul.ts';
import { reduceSumInference } from './reduce-sum.ts';
import { reluInference } from './relu.ts';
import { reverseTimeInference } from './reverse-time.ts';
import { sigmoidInference } from './sigmoid.ts';
import { tabInferenceInference } from './tab-inference.ts';
import { tfPathInference } from './tf-path.ts';
import { openWasmTensors, wasmExtras, type WasmBackendExtras, type WasmOptions } from './open.ts';
import type { WasmTensors } from './tensors.ts';
import { weightedSumInference } from './weighted-sum.ts';

/**
 * The wasm backend's inference part over `w`: every inference kernel of src/runtime/backend.ts, the fused ones
 * (FusedInferenceKernels) included, as a call into build/network.wasm (kernels/network/). Kernels run when called, on tensors in the instance's linear memory; only
 * `upload` and `read` copy between JS and that memory.
 */
export function wasmInferenceOn(w: WasmTensors): FusedInferenceBackend & WasmBackendExtras {
  return {
    name: 'wasm',
    ...wasmExtras(w),
    upload: (values, shape, name, options) => w.upload(values, shape, name, options),
    dispose: (tensor) => w.dispose(tensor),
    release: (tensor) => w.release(tensor),
    read: async (tensor) => w.read(tensor),
    releaseTransients: () => w.releaseTransients(),
    add: addInference(w),
    reduceSum: reduceSumInference(w),
    relu: reluInference(w),
    sigmoid: sigmoidInference(w),
    mul: mulInference(w),
    concat: concatInference(w),
    reverseTime: reverseTimeInference(w),
    dense: denseInference(w),
    conv2d: conv2dInference(w),
    conv1dCausal: conv1dCausalInference(w),
    batchNorm: batchNormInference(w),
    weightedSum: weightedSumInference(w),
    tfPath: tfPathInference(w),
    directionDense: directionDenseInference(w),
    tabInference: tabInferenceInference(w),
  };
}

/**
 * Instantiates a build of the inference kernels from its bytes (browser-safe: the caller fetches or reads them; in
 * Node, src/platform/node/wasm-backend.ts): build/network.wasm alone, or build/network-mt.wasm with
 * `options.threads`. `poisonOutputs` NaN-fills every output before its kernel runs (tests).
 */
export async function createWasmInference(wasmBytes: Uint8Array, options: WasmOptions = {}): Promise<FusedInferenceBackend & WasmBackendExtras> {
  return wasmInferenceOn(await openWasmTensors(wasmBytes, options));
}
