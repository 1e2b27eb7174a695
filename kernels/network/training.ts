// training.ts: the asc entry of build/network-train.wasm, the wasm backend's whole module: every inference export of
// index.ts plus each family's training entries (backward passes, training BatchNorm, dropout, the loss, Adam), the
// part sums of the reductions split over the threads (accumulate.ts) and the counter hash (random.ts, exported for
// its equality test). Same memory map (arena.ts), same rules: byte
// addresses and element counts, nothing allocates. The host's training part (src/backends/wasm/training.ts) needs it.

export * from './index';
export { chunkCount, partialsBytes, sumParts, sumPartsScratchBytes } from './accumulate';
export {
  batchNormBackwardFactors, batchNormBackwardInput, batchNormBackwardPartWidth, batchNormBackwardParts,
  batchNormBackwardScratchBytes, batchNormFactorBytes, batchNormMomentParts, batchNormNormalizeTail,
  batchNormTailScratchBytes, batchNormUpdateRunning,
} from './batch-norm';
export { concatSlice } from './concat';
export {
  conv1dCausalBackwardInput, conv1dCausalBackwardInputScratchBytes, conv1dCausalBackwardWeightParts,
  conv1dCausalBackwardWeightScratchBytes,
} from './conv1d-causal';
export {
  conv2dBackwardInput, conv2dBackwardInputScratchBytes, conv2dBackwardWeightParts, conv2dBackwardWeightScratchBytes,
} from './conv2d';
export {
  denseBackwardInput, denseBackwardInputPerSample, denseBackwardInputScratchBytes, denseBackwardWeightParts,
  denseBackwardWeightPerSample,
} from './dense';
export { mulBackwardBBroadcast, mulBackwardScratchBytes } from './mul';
export { reduceSumBackward, reduceSumParts } from './reduce-sum';
export { reluBackward } from './relu';
export { sigmoidBackward } from './sigmoid';
export { weightedSumBackwardInput, weightedSumBackwardWeight } from './weighted-sum';
export { spatialDropoutForward, spatialDropoutReluBackward, spatialDropoutScratchBytes } from './spatial-dropout';
export { softmaxCrossEntropyBackward, softmaxCrossEntropyForward } from './softmax-cross-entropy';
export { adamStep } from './adam';
export { counterHash } from './random';
