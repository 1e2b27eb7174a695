export { EMODB_CONFIG, dilationOf, type MsseConfig } from './config.ts';
export { bufferSpecs, DIRECTIONS, glorotLimit, initParams, initialValues, paramSpecs, type Direction, type ParamSpec } from './params.ts';
export { msseForward, msseLoss, type ForwardOptions, type MsseOutput } from './msse.ts';
export {
  fusedParamsFromHost,
  fusedParamsFromStore,
  fusedTensors,
  msseFusedForward,
  uploadFusedParams,
  type FusedParams,
  type StackedConv,
} from './msse-fused.ts';
export { convBatchNormPairs, foldBatchNorm, foldConvBatchNorm, type ConvBatchNorm, type FoldedTensor, type HostValues } from './fold-batch-norm.ts';
export { msseOnnxModel, ONNX_IR_VERSION, ONNX_OPSET, type OnnxGraphOptions } from './onnx-graph.ts';
