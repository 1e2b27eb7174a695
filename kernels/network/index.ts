// index.ts: the asc entry of build/network.wasm, the wasm backend's kernels (src/backends/wasm/ is the host).
// One module per op family of the kernel interface's inference part (src/runtime/backend.ts), the fused ones
// included (tf-path with its SE gate, direction-dense, tab-inference: each export takes the items [lo, hi) of one range of
// the host's worker pool), the shared pieces (simd.ts, channel-walk.ts, gemm.ts), the memory map (arena.ts) and
// the peak probe (peak.ts). The family modules also hold their training entries; training.ts is the entry of
// build/network-train.wasm, which adds them (this module, the inference one, is what a page loads: the training
// code would double its gzip size).
// Every export takes byte addresses in linear memory and element counts; none allocates.

export { heapBase, fillF32 } from './arena';
export { addForward } from './add';
export { batchNormForwardInference, batchNormScratchBytes } from './batch-norm';
export { concatPart } from './concat';
export { conv1dCausalForward, conv1dCausalScratchBytes } from './conv1d-causal';
export { conv2dForward, conv2dScratchBytes } from './conv2d';
export { denseForward, denseForwardPerSample, denseScratchBytes } from './dense';
export { directionDenseForward } from './direction-dense';
export { mulForward, mulForwardBroadcast } from './mul';
export { reduceSumForward, reduceSumScratchBytes } from './reduce-sum';
export { reluForward } from './relu';
export { reverseTimeForward } from './reverse-time';
export { sigmoidForward } from './sigmoid';
export { tabInferenceFirst, tabInferencePool, tabInferenceSecond } from './tab-inference';
export { tfPathForward, tfPathScratchBytes } from './tf-path';
export { weightedSumForward } from './weighted-sum';
export { simdPeak, PEAK_FLOPS_PER_ITERATION } from './peak';
