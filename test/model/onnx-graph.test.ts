import { describe, expect, test } from 'vitest';
import { EMODB_CONFIG } from '../../src/model/config.ts';
import { foldBatchNorm } from '../../src/model/fold-batch-norm.ts';
import { msseOnnxModel, ONNX_IR_VERSION, ONNX_OPSET } from '../../src/model/onnx-graph.ts';
import { bufferSpecs, paramSpecs } from '../../src/model/params.ts';
import { numElements } from '../../src/runtime/tensor.ts';

const host = (specs: ReturnType<typeof paramSpecs>) =>
  new Map(specs.map((s) => [s.name, { shape: s.shape, data: new Float32Array(numElements(s.shape)).fill(0.5) }]));
const params = foldBatchNorm(EMODB_CONFIG, { parameters: host(paramSpecs(EMODB_CONFIG)), buffers: host(bufferSpecs(EMODB_CONFIG)) });
const model = msseOnnxModel(EMODB_CONFIG, params, { frames: 188, producerVersion: '0.1.0', metadata: { labels: '[]' }, docString: 'doc' });
const nodes = model.graph.nodes;

describe('MS-SENet as an ONNX graph (EMO-DB config, n = 8)', () => {
  test('opset 17, IR 8, input mfcc (batch, 188, 39), output logits (batch, 7)', () => {
    expect([model.irVersion, model.opsetImports]).toEqual([ONNX_IR_VERSION, [{ domain: '', version: ONNX_OPSET }]]);
    expect([ONNX_IR_VERSION, ONNX_OPSET]).toEqual([8, 17]);
    expect(model.graph.inputs).toEqual([{ name: 'mfcc', elemType: 'float', shape: ['batch', 188, 39] }]);
    expect(model.graph.outputs).toEqual([{ name: 'logits', elemType: 'float', shape: ['batch', 7] }]);
  });

  // Per direction: Unsqueeze, 3 × (Conv, Relu), Concat, ReduceMean, Gemm, Relu, Gemm, Sigmoid, Unsqueeze, Mul, Conv,
  // Relu, Squeeze, Concat, Transpose, Conv, then 8 TABs of (Pad, Conv, Relu) × 2, Sigmoid, Mul. Slice reverses the
  // input for bwd; the head is 8 × (Add, ReduceMean), Concat, Mul, ReduceSum, Gemm.
  test('191 nodes: no BatchNormalization (folded) and no MatMul (the onnxruntime-web Transpose → MatMul 1-D trap)', () => {
    const census: Record<string, number> = {};
    for (const n of nodes) census[n.opType] = (census[n.opType] ?? 0) + 1;
    expect(census).toEqual({
      Slice: 1,
      Unsqueeze: 4,
      Conv: 42,
      Relu: 42,
      Concat: 5,
      ReduceMean: 10,
      Gemm: 5,
      Sigmoid: 18,
      Mul: 19,
      Squeeze: 2,
      Transpose: 2,
      Pad: 32,
      Add: 8,
      ReduceSum: 1,
    });
    expect(nodes.length).toBe(191);
  });

  test('TAB j: Pad puts (K − 1)·2^j zeros before t = 0 only, and its Conv has dilation 2^j', () => {
    const initializer = (name: string) => model.graph.initializers.find((t) => t.name === name);
    for (const d of ['fwd', 'bwd']) {
      for (let j = 0; j < 8; j++) {
        const conv = nodes.find((n) => n.opType === 'Conv' && n.inputs[1] === `${d}.tab${j}.conv2.folded.weight`)!;
        expect(conv.attributes).toEqual([
          { name: 'kernel_shape', type: 'ints', value: [2] },
          { name: 'dilations', type: 'ints', value: [2 ** j] },
        ]);
        const pad = nodes.find((n) => n.outputs[0] === conv.inputs[0])!;
        expect(pad.opType).toBe('Pad');
        expect(initializer(pad.inputs[1]!)).toMatchObject({ dataType: 'int64', dims: [6], data: [0, 0, 2 ** j, 0, 0, 0] });
      }
    }
  });

  test('TF paths: TF "same" pads, BatchNorm folded into the weights', () => {
    const pads = ['path1', 'path2', 'path3'].map((p) => nodes.find((n) => n.inputs[1] === `fwd.tf.${p}.conv.folded.weight`)!.attributes);
    expect(pads).toEqual([
      [{ name: 'kernel_shape', type: 'ints', value: [11, 1] }, { name: 'pads', type: 'ints', value: [5, 0, 5, 0] }],
      [{ name: 'kernel_shape', type: 'ints', value: [1, 9] }, { name: 'pads', type: 'ints', value: [0, 4, 0, 4] }],
      [{ name: 'kernel_shape', type: 'ints', value: [3, 3] }, { name: 'pads', type: 'ints', value: [1, 1, 1, 1] }],
    ]);
  });

  test('the weighted sum is Mul by wsum (1, 1, n) then ReduceSum over the TAB axis', () => {
    const z = nodes.find((n) => n.outputs[0] === 'head.z')!;
    const mul = nodes.find((n) => n.outputs[0] === z.inputs[0])!;
    expect([z.opType, mul.opType, mul.inputs]).toEqual(['ReduceSum', 'Mul', ['head.pooled', 'head.wsum']]);
    expect(model.graph.initializers.find((t) => t.name === 'head.wsum')).toMatchObject({ dataType: 'float', dims: [1, 1, 8] });
  });

  test('every trained tensor is an initializer once, in float32; no golden conv or BatchNorm tensor of a folded pair', () => {
    const names = model.graph.initializers.filter((t) => t.dataType === 'float').map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => /\.bn\d?\.|\.tab\d+\.conv\d\.(weight|bias)$|\.tf\.path\d\.conv\.(weight|bias)$/.test(n))).toEqual([]);
    expect(names).toHaveLength(2 * (2 * 3 + 4 * 8) + 2 * (2 + 2 + 2 + 2) + 3);
  });
});
