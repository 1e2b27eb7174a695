import { describe, expect, test } from 'vitest';
import { OnnxGraphBuilder } from '../../../src/io/onnx/graph-builder.ts';
import { encodeOnnxModel, type OnnxModel } from '../../../src/io/onnx/onnx.ts';
import { ortFloats, ortSession } from '../../support/onnxruntime.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1 ');

describe('encodeOnnxModel', () => {
  test('writes the onnx.proto field numbers: a one-node model, byte for byte', () => {
    const model: OnnxModel = {
      irVersion: 8,
      opsetImports: [{ domain: '', version: 17 }],
      producerName: 'm',
      producerVersion: '1',
      graph: {
        name: 'g',
        nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'], name: 'y' }],
        initializers: [],
        inputs: [{ name: 'x', elemType: 'float', shape: ['n'] }],
        outputs: [{ name: 'y', elemType: 'float', shape: ['n'] }],
      },
    };
    // ValueInfoProto {1: name, 2: TypeProto {1: Tensor {1: elem_type FLOAT, 2: TensorShapeProto {1: Dimension {2: dim_param}}}}}
    const valueInfo = (name: string) => `0a 01 ${name} 12 0b 0a 09 08 01 12 05 0a 03 12 01 6e`;
    const node = '0a 0f 0a 01 78 12 01 79 1a 01 79 22 04 52 65 6c 75'; // NodeProto {1: input, 2: output, 3: name, 4: op_type}
    const graph = `3a 38 ${node} 12 01 67 5a 10 ${valueInfo('78')} 62 10 ${valueInfo('79')}`; // GraphProto = ModelProto field 7
    // ModelProto {1: ir_version, 2: producer_name, 3: producer_version, 7: graph, 8: OperatorSetIdProto {1: domain, 2: version}}
    expect(hex(encodeOnnxModel(model))).toBe(`08 08 12 01 6d 1a 01 31 ${graph} 42 04 0a 00 10 11`);
  });

  // ONNX Runtime parses the file (every message kind msse writes: initializers of both types, int and ints
  // attributes, symbolic and fixed dimensions, metadata) and computes with it.
  test('ONNX Runtime reads and runs a model that uses every message and field msse writes', async () => {
    const g = new OnnxGraphBuilder([{ name: 'x', elemType: 'float', shape: ['batch', 3] }]);
    const w = g.floats('w', [2, 3], [1, 2, 3, -1, 0.5, 0.25]);
    const dense = g.node('Gemm', ['x', w, g.floats('b', [2], [0.5, -100])], { attributes: [{ name: 'transB', type: 'int', value: 1 }] });
    const relu = g.node('Relu', [dense], { output: 'relu' });
    // Reversal along axis 1: Slice with step −1 to INT64_MIN, negative int64 varints in a packed int64 initializer.
    const ints = (name: string, values: (number | bigint)[]) => g.int64s(name, values);
    g.node('Slice', ['x', ints('starts', [-1]), ints('ends', [-(2n ** 63n)]), ints('axes', [1]), ints('steps', [-1])], { output: 'reversed' });
    g.node('ReduceSum', [relu, ints('sum_axes', [1])], { attributes: [{ name: 'keepdims', type: 'int', value: 0 }], output: 'total' });
    g.node('Transpose', ['x'], { attributes: [{ name: 'perm', type: 'ints', value: [1, 0] }], output: 'transposed' });
    const model: OnnxModel = {
      irVersion: 8,
      opsetImports: [{ domain: '', version: 17 }],
      producerName: 'msse-test',
      producerVersion: '0',
      docString: 'a test model',
      graph: g.build(
        'test',
        [
          { name: 'reversed', elemType: 'float', shape: ['batch', 3] },
          { name: 'total', elemType: 'float', shape: ['batch'] },
          { name: 'transposed', elemType: 'float', shape: [3, 'batch'] },
        ],
        'three outputs',
      ),
      metadata: { labels: '["a","b"]' },
    };
    const session = await ortSession(encodeOnnxModel(model), 'all');
    expect(session.inputNames).toEqual(['x']);
    expect(session.outputNames).toEqual(['reversed', 'total', 'transposed']);
    const out = await session.run({ x: ortFloats(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]) });
    expect([...(out.reversed!.data as Float32Array)]).toEqual([3, 2, 1, 6, 5, 4]);
    // Row 1: relu(1+4+9+0.5, −1+1+0.75−100) = 14.5 + 0; row 2: relu(4+10+18+0.5, −4+2.5+1.5−100) = 32.5.
    expect([...(out.total!.data as Float32Array)]).toEqual([14.5, 32.5]);
    expect(out.transposed!.dims).toEqual([3, 2]);
    await session.release();
  });
});

describe('OnnxGraphBuilder', () => {
  test('a node reading an undefined value is a bug, caught when built', () => {
    const g = new OnnxGraphBuilder([{ name: 'x', elemType: 'float', shape: [1] }]);
    expect(() => g.node('Relu', ['y'])).toThrowError('onnx graph: Relu reads "y", which is not defined yet');
  });
  test('a value defined twice is a bug', () => {
    const g = new OnnxGraphBuilder([{ name: 'x', elemType: 'float', shape: [1] }]);
    expect(() => g.node('Relu', ['x'], { output: 'x' })).toThrowError('onnx graph: value "x" is defined twice');
  });
  test('unnamed outputs are numbered per op type', () => {
    const g = new OnnxGraphBuilder([{ name: 'x', elemType: 'float', shape: [1] }]);
    expect([g.node('Relu', ['x']), g.node('Relu', ['x']), g.node('Sigmoid', ['x'])]).toEqual(['Relu_1', 'Relu_2', 'Sigmoid_1']);
  });
});
