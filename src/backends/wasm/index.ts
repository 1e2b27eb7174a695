// The wasm backend: build/network.wasm's SIMD kernels (kernels/network/) behind the kernel interface.
export { createWasmInference, wasmInferenceOn } from './inference.ts';
export { createWasmBackend, wasmBackendOn, wasmTrainingOn } from './training.ts';
export { compileNetwork, instantiateNetwork, type NetworkExports, type NetworkTrainingExports } from './exports.ts';
export { WasmTensors, type WasmStorage, type WasmTensorOptions } from './tensors.ts';
export { openWasmTensors, type WasmBackendExtras, type WasmOptions } from './open.ts';
export { WasmThreads, type WorkerPlatform } from './threads.ts';
