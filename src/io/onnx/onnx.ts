/**
 * ONNX model files: the few onnx.proto messages an inference graph needs, as plain objects, and their protobuf
 * encoding (protobuf.ts). Field numbers and enum values are those of onnx/onnx.proto (proto2, IR version 8 with
 * opset 17); each message's constant table below names them. Repeated scalars are written as onnx.proto declares
 * them: packed where it says `[packed = true]` (TensorProto float_data, int64_data), one tagged value each otherwise
 * (TensorProto dims, AttributeProto ints).
 *
 * This layer knows ONNX's container, not any network: src/model/onnx-graph.ts builds MS-SENet's graph with it.
 */
import { invariant } from '../../errors.ts';
import { numElements } from '../../runtime/tensor.ts';
import { ProtoWriter } from './protobuf.ts';

/** The element types msse writes; TensorProto.DataType FLOAT = 1, INT64 = 7. */
export type OnnxDataType = 'float' | 'int64';
const DATA_TYPE: Record<OnnxDataType, number> = { float: 1, int64: 7 };

/** A constant tensor of the graph (an initializer), C order. */
export type OnnxTensor =
  | { readonly name: string; readonly dataType: 'float'; readonly dims: readonly number[]; readonly data: Float32Array }
  | { readonly name: string; readonly dataType: 'int64'; readonly dims: readonly number[]; readonly data: readonly (number | bigint)[] };

/** A node attribute; AttributeProto.AttributeType INT = 2, INTS = 7. */
export type OnnxAttribute =
  | { readonly name: string; readonly type: 'int'; readonly value: number | bigint }
  | { readonly name: string; readonly type: 'ints'; readonly value: readonly (number | bigint)[] };
const ATTRIBUTE_TYPE = { int: 2, ints: 7 } as const;

export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Optional, unique in the graph when given. */
  readonly name?: string;
  readonly attributes?: readonly OnnxAttribute[];
}

/** A dimension of a graph input or output: a fixed size, or a symbolic name (`"batch"`) for one chosen at run time. */
export type OnnxDim = number | string;

/** A graph input or output: name, element type and shape. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly elemType: OnnxDataType;
  readonly shape: readonly OnnxDim[];
}

export interface OnnxGraph {
  readonly name: string;
  /** Topologically sorted, as ONNX requires. */
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly docString?: string;
}

export interface OnnxModel {
  /** 8 for opset 17 (onnx/docs/Versioning.md). */
  readonly irVersion: number;
  /** The default domain is `''` (ai.onnx). */
  readonly opsetImports: readonly { readonly domain: string; readonly version: number }[];
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString?: string;
  readonly graph: OnnxGraph;
  /** ModelProto.metadata_props: string keys and values, shown by tools such as Netron and readable in ONNX Runtime. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** ModelProto fields. */
const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, docString: 6, graph: 7, opsetImport: 8, metadataProps: 14 } as const;
/** OperatorSetIdProto fields. */
const OPSET = { domain: 1, version: 2 } as const;
/** StringStringEntryProto fields. */
const ENTRY = { key: 1, value: 2 } as const;
/** GraphProto fields. */
const GRAPH = { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12 } as const;
/** NodeProto fields. */
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 } as const;
/** AttributeProto fields. */
const ATTRIBUTE = { name: 1, i: 3, ints: 8, type: 20 } as const;
/** TensorProto fields. */
const TENSOR = { dims: 1, dataType: 2, floatData: 4, int64Data: 7, name: 8 } as const;
/** ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto and TensorShapeProto.Dimension fields. */
const VALUE_INFO = { name: 1, type: 2 } as const;
const TYPE = { tensorType: 1 } as const;
const TYPE_TENSOR = { elemType: 1, shape: 2 } as const;
const SHAPE = { dim: 1 } as const;
const DIMENSION = { dimValue: 1, dimParam: 2 } as const;

/** Encodes a model as the bytes of an `.onnx` file (a serialized ModelProto). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int64(MODEL.irVersion, model.irVersion);
  w.string(MODEL.producerName, model.producerName);
  w.string(MODEL.producerVersion, model.producerVersion);
  if (model.docString !== undefined) w.string(MODEL.docString, model.docString);
  w.message(MODEL.graph, (g) => writeGraph(g, model.graph));
  for (const { domain, version } of model.opsetImports) {
    w.message(MODEL.opsetImport, (o) => o.string(OPSET.domain, domain).int64(OPSET.version, version));
  }
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    w.message(MODEL.metadataProps, (e) => e.string(ENTRY.key, key).string(ENTRY.value, value));
  }
  return w.finish();
}

function writeGraph(w: ProtoWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) w.message(GRAPH.node, (n) => writeNode(n, node));
  w.string(GRAPH.name, graph.name);
  for (const tensor of graph.initializers) w.message(GRAPH.initializer, (t) => writeTensor(t, tensor));
  if (graph.docString !== undefined) w.string(GRAPH.docString, graph.docString);
  for (const input of graph.inputs) w.message(GRAPH.input, (v) => writeValueInfo(v, input));
  for (const output of graph.outputs) w.message(GRAPH.output, (v) => writeValueInfo(v, output));
}

function writeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.string(NODE.input, input);
  for (const output of node.outputs) w.string(NODE.output, output);
  if (node.name !== undefined) w.string(NODE.name, node.name);
  w.string(NODE.opType, node.opType);
  for (const attribute of node.attributes ?? []) {
    w.message(NODE.attribute, (a) => {
      a.string(ATTRIBUTE.name, attribute.name);
      a.int64(ATTRIBUTE.type, ATTRIBUTE_TYPE[attribute.type]);
      if (attribute.type === 'int') a.int64(ATTRIBUTE.i, attribute.value);
      else for (const v of attribute.value) a.int64(ATTRIBUTE.ints, v);
    });
  }
}

function writeTensor(w: ProtoWriter, tensor: OnnxTensor): void {
  invariant(
    tensor.data.length === numElements(tensor.dims),
    `onnx: initializer "${tensor.name}" has ${tensor.data.length} values for dims (${tensor.dims.join(', ')})`,
  );
  for (const d of tensor.dims) w.int64(TENSOR.dims, d);
  w.int64(TENSOR.dataType, DATA_TYPE[tensor.dataType]);
  if (tensor.dataType === 'float') w.packedFloats(TENSOR.floatData, tensor.data);
  else w.packedInt64s(TENSOR.int64Data, tensor.data);
  w.string(TENSOR.name, tensor.name);
}

function writeValueInfo(w: ProtoWriter, info: OnnxValueInfo): void {
  w.string(VALUE_INFO.name, info.name);
  w.message(VALUE_INFO.type, (type) =>
    type.message(TYPE.tensorType, (t) => {
      t.int64(TYPE_TENSOR.elemType, DATA_TYPE[info.elemType]);
      t.message(TYPE_TENSOR.shape, (s) => {
        for (const dim of info.shape) {
          s.message(SHAPE.dim, (d) => (typeof dim === 'number' ? d.int64(DIMENSION.dimValue, dim) : d.string(DIMENSION.dimParam, dim)));
        }
      });
    }),
  );
}
