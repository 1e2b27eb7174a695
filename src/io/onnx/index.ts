// ONNX files: a protobuf encoder, the onnx.proto messages msse writes, and a checked graph builder.
export { OnnxGraphBuilder } from './graph-builder.ts';
export {
  encodeOnnxModel,
  type OnnxAttribute,
  type OnnxDataType,
  type OnnxDim,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from './onnx.ts';
export { ProtoWriter } from './protobuf.ts';
