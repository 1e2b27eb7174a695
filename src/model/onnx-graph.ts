/**
 * MS-SENet as an ONNX graph (opset 17) for inference outside msse: the same network as msse.ts, BatchNorm folded
 * (fold-batch-norm.ts), float32 weights, any batch size.
 *
 *   input   mfcc    (batch, T, F) float32: the model's front end (T = 188 frames of F = 39 MFCCs for EMO-DB)
 *   output  logits  (batch, classes) float32, pre-softmax
 *
 * ONNX convolutions are channels-first, so inside the graph the TF-fusion image is (B, C, T, F) and the TAB sequence
 * (B, C, T); values are named by golden site (`fwd.tf.path1`, `fwd.se.excite`, `fwd.tab3`, `head.z`) in that layout
 * (msse's own tensors are channels-last). The weights need no transposition: the golden layouts (Conv2D
 * (C, 1, KH, KW), Conv1D (Cout, Cin, K), Dense (Out, In) with Gemm transB) are ONNX's. Per direction:
 *
 *   x (B,T,F) ─ Unsqueeze ─ 3 × [Conv (TF 'same' pads) ─ Relu] ─ Concat (F) ─ ReduceMean (T,3F) ─ Gemm ─ Relu ─ Gemm
 *     ─ Sigmoid ─ Unsqueeze ─ Mul ─ Conv 1×1 ─ Relu ─ Squeeze ─ Concat with x ─ Transpose ─ Conv k=1 (conv_in)
 *     ─ n × TAB: 2 × [Pad (left, (K−1)·d zeros in time) ─ Conv (dilations d) ─ Relu] ─ Sigmoid ─ Mul by the TAB input
 *
 * bwd is the same on x reversed in time (Slice with step −1). Head: ReduceMean over time of fwd.tabJ + bwd.tabJ
 * (order in time does not matter to a mean, so bwd is not reversed back), Concat to (B, C, n), the learned weighted
 * sum as Mul by wsum (1, 1, n) then ReduceSum, Gemm. The weighted sum is deliberately not a MatMul with the 1-D wsum:
 * onnxruntime-web 1.22–1.30 computes Transpose → MatMul with a 1-D operand wrongly at optimisation level
 * 'extended'/'all' (logits off by ~1.75 relative), and no MatMul appears anywhere in this graph.
 */
import { OnnxGraphBuilder } from '../io/onnx/graph-builder.ts';
import type { OnnxModel } from '../io/onnx/onnx.ts';
import { invariant } from '../errors.ts';
import { dilationOf, type MsseConfig } from './config.ts';
import type { FoldedTensor } from './fold-batch-norm.ts';
import { DIRECTIONS, type Direction } from './params.ts';

/** The ONNX operator set the graph is written for, and the IR version that goes with it (onnx/docs/Versioning.md). */
export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;

/** Symbolic batch dimension of the input and output. */
const BATCH = 'batch';
/** INT64_MIN: a Slice end that, with step −1, runs to the first element whatever the length (ONNX Slice clamping). */
const SLICE_TO_START = -(2n ** 63n);

export interface OnnxGraphOptions {
  /** T, frames per example: the model's front end (frameCount(lengthSamples)). */
  readonly frames: number;
  readonly producerVersion: string;
  /** ModelProto.metadata_props (labels, front end, provenance): for whoever runs the file. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly docString: string;
}

/**
 * The ONNX model of an MS-SENet with `config` and inference parameters `params` (foldBatchNorm's result: folded
 * conv → BN pairs and every other parameter by golden name).
 */
export function msseOnnxModel(config: MsseConfig, params: ReadonlyMap<string, FoldedTensor>, options: OnnxGraphOptions): OnnxModel {
  const { feat: F, numClasses } = config;
  const g = new OnnxGraphBuilder([{ name: 'mfcc', elemType: 'float', shape: [BATCH, options.frames, F] }]);
  /** Parameter `name` as a float32 initializer, in its own shape or viewed as `dims`. */
  const weight = (name: string, dims?: readonly number[]): string => {
    const t = params.get(name);
    invariant(t !== undefined, `onnx graph: no inference parameter "${name}"`);
    return g.floats(name, dims ?? t.shape, t.data);
  };
  const net = new Net(g, config, weight);

  const [starts, ends, steps] = [g.int64s('slice.starts', [-1]), g.int64s('slice.ends', [SLICE_TO_START]), g.int64s('slice.steps', [-1])];
  const reversed = g.node('Slice', ['mfcc', starts, ends, net.axes(1), steps], { output: 'bwd.input' });
  const inputs: Record<Direction, string> = { fwd: 'mfcc', bwd: reversed };
  const [fwd, bwd] = DIRECTIONS.map((d) => net.branch(d, inputs[d]));

  const pooled = fwd!.map((f, j) =>
    g.node('ReduceMean', [g.node('Add', [f, bwd![j]!])], { attributes: [ints('axes', [2]), int('keepdims', 1)], output: `head.pooled${j}` }),
  );
  const stacked = g.node('Concat', pooled, { attributes: [int('axis', 2)], output: 'head.pooled' });
  const weighted = g.node('Mul', [stacked, weight('head.wsum', [1, 1, config.numDilations])]);
  const z = g.node('ReduceSum', [weighted, net.axes(2)], { attributes: [int('keepdims', 0)], output: 'head.z' });
  g.node('Gemm', [z, weight('head.dense.weight'), weight('head.dense.bias')], { attributes: [int('transB', 1)], output: 'logits' });

  return {
    irVersion: ONNX_IR_VERSION,
    opsetImports: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'msse',
    producerVersion: options.producerVersion,
    docString: options.docString,
    graph: g.build('ms-senet', [{ name: 'logits', elemType: 'float', shape: [BATCH, numClasses] }]),
    metadata: options.metadata,
  };
}

/** The layers, written against the builder; shared constants (axes, pads) are initializers made once. */
class Net {
  private readonly constants = new Map<string, string>();

  constructor(
    private readonly g: OnnxGraphBuilder,
    private readonly config: MsseConfig,
    private readonly weight: (name: string) => string,
  ) {}

  /** An int64 initializer `axes.<a>…` holding `axes` (Slice, Unsqueeze, Squeeze, ReduceSum take axes as an input). */
  axes(...axes: number[]): string {
    return this.constant(`axes.${axes.join('_')}`, axes);
  }

  /** One direction: x (B, T, F) to the outputs of its n TABs, (B, C, T) each, in TAB order. */
  branch(d: Direction, x: string): string[] {
    const g = this.g;
    const image = g.node('Unsqueeze', [x, this.axes(1)]);
    const paths = this.config.tfKernels.map(([kh, kw], p) => {
      const name = `${d}.tf.path${p + 1}`;
      // TF 'same': ⌊(K−1)/2⌋ zeros before, the rest after (conv2d.ts); ONNX pads are [t_begin, f_begin, t_end, f_end].
      const [padT, padF] = [Math.floor((kh - 1) / 2), Math.floor((kw - 1) / 2)];
      const conv = g.node('Conv', [image, this.weight(`${name}.conv.folded.weight`), this.weight(`${name}.conv.folded.bias`)], {
        attributes: [ints('kernel_shape', [kh, kw]), ints('pads', [padT, padF, kh - 1 - padT, kw - 1 - padF])],
      });
      return g.node('Relu', [conv], { output: name });
    });
    const tf = g.node('Concat', paths, { attributes: [int('axis', 3)], output: `${d}.tf` });

    const squeezed = g.node('ReduceMean', [tf], { attributes: [ints('axes', [2, 3]), int('keepdims', 0)], output: `${d}.se.squeeze` });
    const hidden = g.node('Relu', [this.dense(`${d}.se.fc1`, squeezed)]);
    const gate = g.node('Sigmoid', [this.dense(`${d}.se.fc2`, hidden)], { output: `${d}.se.excite` });
    const scaled = g.node('Mul', [tf, g.node('Unsqueeze', [gate, this.axes(2, 3)])], { output: `${d}.se` });
    const collapsed = g.node('Relu', [g.node('Conv', [scaled, this.weight(`${d}.conv1x1.weight`), this.weight(`${d}.conv1x1.bias`)])]);
    const conv1x1 = g.node('Squeeze', [collapsed, this.axes(1)], { output: `${d}.conv1x1` });
    const cat = g.node('Concat', [conv1x1, x], { attributes: [int('axis', 2)], output: `${d}.cat` });
    const channelsFirst = g.node('Transpose', [cat], { attributes: [ints('perm', [0, 2, 1])] });
    let h = g.node('Conv', [channelsFirst, this.weight(`${d}.conv_in.weight`), this.weight(`${d}.conv_in.bias`)], { output: `${d}.conv_in` });
    const outputs: string[] = [];
    for (let j = 0; j < this.config.numDilations; j++) outputs.push((h = this.tab(d, j, h)));
    return outputs;
  }

  /** TAB j: two causal dilated convs (BN folded) with ReLU, then input · sigmoid(second). */
  private tab(d: Direction, j: number, input: string): string {
    const g = this.g;
    const dilation = dilationOf(j);
    const taps = this.config.tabKernel;
    // Causal: (K−1)·d zeros before t = 0 on the time axis of (B, C, T); ONNX Pad's pads are [begins…, ends…].
    const pads = this.constant(`pads.causal.d${dilation}`, [0, 0, (taps - 1) * dilation, 0, 0, 0]);
    let h = input;
    for (const k of [1, 2]) {
      const name = `${d}.tab${j}.conv${k}.folded`;
      const padded = g.node('Pad', [h, pads]);
      const conv = g.node('Conv', [padded, this.weight(`${name}.weight`), this.weight(`${name}.bias`)], {
        attributes: [ints('kernel_shape', [taps]), ints('dilations', [dilation])],
      });
      h = g.node('Relu', [conv]);
    }
    return g.node('Mul', [input, g.node('Sigmoid', [h])], { output: `${d}.tab${j}` });
  }

  /** Dense (Out, In) on x (B, In): Gemm with transB. */
  private dense(name: string, x: string): string {
    return this.g.node('Gemm', [x, this.weight(`${name}.weight`), this.weight(`${name}.bias`)], { attributes: [int('transB', 1)] });
  }

  private constant(name: string, values: number[]): string {
    const known = this.constants.get(name);
    if (known !== undefined) return known;
    const created = this.g.int64s(name, values);
    this.constants.set(name, created);
    return created;
  }
}

function int(name: string, value: number): { name: string; type: 'int'; value: number } {
  return { name, type: 'int', value };
}

function ints(name: string, value: readonly number[]): { name: string; type: 'ints'; value: readonly number[] } {
  return { name, type: 'ints', value };
}
