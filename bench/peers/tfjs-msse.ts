/**
 * MS-SENet written with TensorFlow.js ops, for `msse bench`: the same network as src/model/msse.ts, inference only,
 * BatchNorm folded (src/model/fold-batch-norm.ts), weights from msse's own model file. TensorFlow.js is NHWC, so
 * the TF-fusion image is (B, T, F, C) and the TAB sequence (B, 1, T, C) as msse's (channels last); only the weight
 * layouts change (golden Conv2D (C, 1, KH, KW) → tfjs (KH, KW, 1, C); Conv1D (Cout, Cin, K) → (1, K, Cin, Cout)).
 *
 *   x (B,T,F) ─ 3 × fused conv2d ('same', bias, ReLU) ─ SE: mean over (T, F) of each path, averaged ─ dense ReLU
 *     ─ dense sigmoid = gate (B, C) ─ per path: batched matMul with gate ⊙ w1x1 (the 1×1 conv, gated) + bias, ReLU
 *     ─ concat the paths and x along F (B, T, 4F) ─ conv_in (matMul) ─ 8 × TAB: 2 × [pad (K−1)·d zeros before
 *     t = 0, fused conv2d (1, K) with dilation d, bias, ReLU], out = in · sigmoid(second)
 *
 * bwd runs the same on x reversed in time (tf.reverse); the head takes the time mean of fwd.tabJ + bwd.tabJ (a
 * mean does not care that bwd is in reversed time), the learned weighted sum over j and the dense layer.
 *
 * The module never imports TensorFlow.js itself: the caller passes the module it loaded (bench/peers/load-peer.ts),
 * so that a missing devDependency is one clear error there and the CLI bundle holds no TensorFlow.js code.
 */
import type * as Tf from '@tensorflow/tfjs-core';
import { invariant } from '../../src/errors.ts';
import { dilationOf, type MsseConfig } from '../../src/model/config.ts';
import type { FoldedTensor } from '../../src/model/fold-batch-norm.ts';
import { DIRECTIONS, type Direction } from '../../src/model/params.ts';

export type TfModule = typeof Tf;

/** An MS-SENet in TensorFlow.js: its weights live on the active backend until dispose(). */
export interface TfjsMsse {
  /** Logits (B, classes) of x (B, T, F) float32, frames-major per example. */
  logits(x: Float32Array, batch: number, frames: number): Promise<Float32Array>;
  dispose(): void;
}

/** The network's weights as TensorFlow.js tensors, by golden name (`…folded.weight` for folded pairs). */
class Weights {
  readonly #tensors: Tf.Tensor[] = [];

  constructor(
    private readonly tf: TfModule,
    private readonly params: ReadonlyMap<string, FoldedTensor>,
  ) {}

  /** Parameter `name` as float32 in its golden shape, permuted by `perm` (undefined: as is) and reshaped to `shape`. */
  get(name: string, shape?: readonly number[], perm?: readonly number[]): Tf.Tensor {
    const t = this.params.get(name);
    invariant(t !== undefined, `tfjs-msse: no inference parameter "${name}"`);
    const { tf } = this;
    const made = tf.tidy(() => {
      let x: Tf.Tensor = tf.tensor(Float32Array.from(t.data), [...t.shape]);
      if (perm !== undefined) x = tf.transpose(x, [...perm]);
      return shape === undefined ? x : tf.reshape(x, [...shape]);
    });
    this.#tensors.push(made);
    return made;
  }

  dispose(): void {
    for (const t of this.#tensors.splice(0)) t.dispose();
  }
}

interface BranchWeights {
  readonly paths: readonly { readonly filter: Tf.Tensor4D; readonly bias: Tf.Tensor1D; readonly kernel: readonly [number, number] }[];
  readonly fc1: { readonly w: Tf.Tensor2D; readonly b: Tf.Tensor1D };
  readonly fc2: { readonly w: Tf.Tensor2D; readonly b: Tf.Tensor1D };
  /** The 1×1 conv's weight (C) and bias (1). */
  readonly conv1x1: { readonly w: Tf.Tensor1D; readonly b: Tf.Tensor1D };
  /** conv_in as a dense layer: (4F, C), (C). */
  readonly convIn: { readonly w: Tf.Tensor2D; readonly b: Tf.Tensor1D };
  readonly tabs: readonly (readonly { readonly filter: Tf.Tensor4D; readonly bias: Tf.Tensor1D }[])[];
}

/**
 * Builds the network on TensorFlow.js's active backend from inference parameters (foldBatchNorm's result).
 * The caller sets the backend (`tf.setBackend('wasm')`) first.
 */
export function createTfjsMsse(tf: TfModule, config: MsseConfig, params: ReadonlyMap<string, FoldedTensor>): TfjsMsse {
  const { filters: C, feat: F, tabKernel: K, numDilations: n } = config;
  const weights = new Weights(tf, params);
  const branchWeights = (d: Direction): BranchWeights => ({
    paths: config.tfKernels.map(([kh, kw], p) => ({
      filter: weights.get(`${d}.tf.path${p + 1}.conv.folded.weight`, [kh, kw, 1, C], [2, 3, 1, 0]) as Tf.Tensor4D,
      bias: weights.get(`${d}.tf.path${p + 1}.conv.folded.bias`) as Tf.Tensor1D,
      kernel: [kh, kw] as const,
    })),
    fc1: { w: weights.get(`${d}.se.fc1.weight`, undefined, [1, 0]) as Tf.Tensor2D, b: weights.get(`${d}.se.fc1.bias`) as Tf.Tensor1D },
    fc2: { w: weights.get(`${d}.se.fc2.weight`, undefined, [1, 0]) as Tf.Tensor2D, b: weights.get(`${d}.se.fc2.bias`) as Tf.Tensor1D },
    conv1x1: { w: weights.get(`${d}.conv1x1.weight`, [C]) as Tf.Tensor1D, b: weights.get(`${d}.conv1x1.bias`) as Tf.Tensor1D },
    convIn: { w: weights.get(`${d}.conv_in.weight`, [4 * F, C], [1, 0, 2]) as Tf.Tensor2D, b: weights.get(`${d}.conv_in.bias`) as Tf.Tensor1D },
    tabs: Array.from({ length: n }, (_, j) =>
      [1, 2].map((k) => ({
        filter: weights.get(`${d}.tab${j}.conv${k}.folded.weight`, [1, K, C, C], [2, 1, 0]) as Tf.Tensor4D,
        bias: weights.get(`${d}.tab${j}.conv${k}.folded.bias`) as Tf.Tensor1D,
      })),
    ),
  });
  const branches = Object.fromEntries(DIRECTIONS.map((d) => [d, branchWeights(d)])) as Record<Direction, BranchWeights>;
  const wsum = weights.get('head.wsum');
  const head = { w: weights.get('head.dense.weight', undefined, [1, 0]) as Tf.Tensor2D, b: weights.get('head.dense.bias') as Tf.Tensor1D };

  /** One direction on x (B, T, F): the n TAB outputs, (B, 1, T, C) each. */
  const branch = (w: BranchWeights, x: Tf.Tensor3D): Tf.Tensor4D[] => {
    const [batch, frames] = x.shape;
    const image = tf.expandDims(x, 3) as Tf.Tensor4D;
    const paths = w.paths.map((p) => tf.fused.conv2d({ x: image, filter: p.filter, strides: 1, pad: 'same', bias: p.bias, activation: 'relu' }));
    const squeezed = tf.div(tf.addN(paths.map((p) => tf.mean(p, [1, 2]))), paths.length) as Tf.Tensor2D;
    const hidden = tf.fused.matMul({ a: squeezed, b: w.fc1.w, bias: w.fc1.b, activation: 'relu' });
    const gate = tf.sigmoid(tf.fused.matMul({ a: hidden, b: w.fc2.w, bias: w.fc2.b }));
    // The gated 1×1 conv: Σ_c path[b, t, f, c] · gate[b, c] · w[c], per example a (T·F, C) × (C, 1) product.
    const perSample = tf.reshape(tf.mul(gate, w.conv1x1.w), [batch, C, 1]) as Tf.Tensor3D;
    const collapsed = paths.map((p) =>
      tf.reshape(tf.fused.matMul({ a: tf.reshape(p, [batch, frames * F, C]) as Tf.Tensor3D, b: perSample, bias: w.conv1x1.b, activation: 'relu' }), [batch, frames, F]),
    );
    const cat = tf.reshape(tf.concat([...collapsed, x], 2), [batch * frames, 4 * F]) as Tf.Tensor2D;
    let h = tf.reshape(tf.fused.matMul({ a: cat, b: w.convIn.w, bias: w.convIn.b }), [batch, 1, frames, C]) as Tf.Tensor4D;
    const outputs: Tf.Tensor4D[] = [];
    w.tabs.forEach((convs, j) => {
      const dilation = dilationOf(j);
      const input = h;
      let y = h;
      for (const conv of convs) {
        // Causal: (K − 1)·d zeros before t = 0, then a 'valid' dilated conv along time.
        const padded = tf.pad(y, [
          [0, 0],
          [0, 0],
          [(K - 1) * dilation, 0],
          [0, 0],
        ]);
        y = tf.fused.conv2d({ x: padded, filter: conv.filter, strides: 1, pad: 'valid', dilations: [1, dilation], bias: conv.bias, activation: 'relu' });
      }
      h = tf.mul(input, tf.sigmoid(y));
      outputs.push(h);
    });
    return outputs;
  };

  return {
    async logits(x, batch, frames) {
      const out = tf.tidy(() => {
        const input = tf.tensor3d(x, [batch, frames, F]);
        const fwd = branch(branches.fwd, input);
        const bwd = branch(branches.bwd, tf.reverse(input, 1));
        const pooled = fwd.map((f, j) => tf.mean(tf.add(f, bwd[j]!), [1, 2])); // (B, C) each
        const z = tf.sum(tf.mul(tf.stack(pooled, 1), tf.reshape(wsum, [1, n, 1])), 1) as Tf.Tensor2D;
        return tf.fused.matMul({ a: z, b: head.w, bias: head.b });
      });
      try {
        return (await out.data()) as Float32Array;
      } finally {
        out.dispose();
      }
    },
    dispose: () => weights.dispose(),
  };
}
