/**
 * The fused inference forward of MS-SENet (STYLE.md §9 "Fused ops"): the same numbers as msseForward in inference
 * mode, on BatchNorm-folded parameters (fold-batch-norm.ts), in about twenty dispatches on WebGPU instead of ~270.
 * Both directions run in each dispatch: activations are direction-stacked (2B, …), sample d·B + b being direction d
 * (0 fwd on x, 1 bwd on x reversed in time), and every parameter is uploaded once as (2, …), direction d's own
 * at index d (FusedInferenceKernels in src/runtime/backend.ts).
 *
 *   cat     = tf-path(x)                               the three TF-fusion paths, their SE gate, the 1×1 conv of the
 *                                                      gated paths + ReLU, then x_d: (2B, T, 4F)
 *   h       = direction-dense(cat)                     conv_in
 *   h       = tab-inference(h), j = 0 … n − 1          each TAB, its output also into the pool's stack
 *   logits  = dense(tab-inference.pool(stack))         mean over time of fwd + bwd, weighted sum, head
 *
 * msseForward stays the definition; test/model/msse-fused.test.ts checks the two agree.
 */
import { invariant } from '../errors.ts';
import { dense } from '../ops/dense.ts';
import { directionDense } from '../ops/direction-dense.ts';
import { tabInference, tabPool, tabStack } from '../ops/tab-inference.ts';
import { tfPath } from '../ops/tf-path.ts';
import type { FusedInferenceBackend, InferenceBackend } from '../runtime/backend.ts';
import type { Graph } from '../runtime/graph.ts';
import type { ParamStore } from '../runtime/params.ts';
import { paddedToVec4 } from '../runtime/shape.ts';
import { formatShape, type Tensor } from '../runtime/tensor.ts';
import { ShapeError } from '../errors.ts';
import { dilationOf, type MsseConfig } from './config.ts';
import { foldBatchNorm, type FoldedTensor, type HostValues } from './fold-batch-norm.ts';
import { DIRECTIONS } from './params.ts';

/** A conv's weights and bias, both directions stacked. */
export interface StackedConv {
  readonly w: Tensor;
  readonly b: Tensor;
}

/** The fused forward's parameters on a backend, direction-stacked (see the module comment). */
export interface FusedParams {
  /** (2, Σ_p KH_p·KW_p, 4⌈C/4⌉) packed (FusedInferenceKernels.tfPath) and (2, P, C): each path's folded Conv2D. */
  readonly tf: StackedConv;
  /** fc1, fc2 (2, C, C), (2, C); w1x1 (2, C) and its bias (2). */
  readonly se: { readonly fc1: StackedConv; readonly fc2: StackedConv; readonly conv1x1: StackedConv };
  /** conv_in packed (2, (P+1)·F, 4⌈C/4⌉) (FusedInferenceKernels.directionDense), (2, C). */
  readonly convIn: StackedConv;
  /** Per TAB: folded conv1, conv2, each packed (2, K, C, 4⌈C/4⌉) (FusedInferenceKernels.tabInference), (2, C). */
  readonly tabs: readonly { readonly conv1: StackedConv; readonly conv2: StackedConv }[];
  /** Head: wsum (n), dense (classes, C), (classes). */
  readonly wsum: Tensor;
  readonly head: StackedConv;
}

/**
 * Uploads the fused forward's parameters from a folded parameter set (foldBatchNorm's result): each pair of
 * fwd/bwd tensors side by side as (2, …), the TF paths' convs concatenated.
 */
export function uploadFusedParams(backend: InferenceBackend, config: MsseConfig, folded: ReadonlyMap<string, FoldedTensor>): FusedParams {
  const get = (name: string): FoldedTensor => {
    const t = folded.get(name);
    invariant(t !== undefined, `msse-fused: no folded tensor "${name}"`);
    return t;
  };
  // Uploaded in their final shapes (no views), so that fusedTensors lists exactly the uploads to dispose.
  const stacked = (label: string, parts: (d: string) => readonly string[], shape?: readonly number[]): Tensor => {
    const rows = DIRECTIONS.map((d) => parts(d).flatMap((name) => Array.from(get(name).data)));
    invariant(rows[0]!.length === rows[1]!.length, `msse-fused: ${label} differs in size between directions`);
    const natural = parts('fwd').length === 1 ? [2, ...get(parts('fwd')[0]!).shape] : [2, rows[0]!.length];
    return backend.upload(rows.flat(), shape ?? natural, `fused.${label}`);
  };
  const conv = (prefix: string, shape?: { w: readonly number[]; b: readonly number[] }): StackedConv => ({
    w: stacked(`${prefix}.weight`, (d) => [`${d}.${prefix}.weight`], shape?.w),
    b: stacked(`${prefix}.bias`, (d) => [`${d}.${prefix}.bias`], shape?.b),
  });
  // Weights packed with the output channel innermost, padded to whole vec4s (the kernels load 4 channels at once):
  // packed[d, r, c] = weight of output channel c at reduction index r, 0 for c ≥ C.
  const { filters: C, feat: F, tfKernels } = config;
  const padded = paddedToVec4(C);
  const packed = (label: string, rows: number, at: (d: string, r: number, c: number) => number, shape?: readonly number[]): Tensor => {
    const data = new Float64Array(2 * rows * padded);
    DIRECTIONS.forEach((d, di) => {
      for (let r = 0; r < rows; r++) for (let c = 0; c < C; c++) data[(di * rows + r) * padded + c] = at(d, r, c);
    });
    return backend.upload(data, shape ?? [2, rows, padded], `fused.${label}`);
  };
  const paths = tfKernels.map((_, p) => `tf.path${p + 1}.conv.folded`);
  // Path p's taps (KH·KW, row-major) follow path p − 1's: tap r of the packed rows is (path, tap within it).
  const tapRows = tfKernels.flatMap(([kh, kw], p) => Array.from({ length: kh * kw }, (_, k) => [p, k] as const));
  const tabConv = (prefix: string): StackedConv => {
    const K = config.tabKernel;
    // (2, K·C, 4⌈C/4⌉) seen as (2, K, Cin, 4⌈C/4⌉): packed[d, k, i, o] = w[o, i, k].
    const at = (d: string, r: number, o: number) => get(`${d}.${prefix}.weight`).data[(o * C + (r % C)) * K + Math.floor(r / C)]!;
    return { w: packed(`${prefix}.weight`, K * C, at, [2, K, C, padded]), b: stacked(`${prefix}.bias`, (d) => [`${d}.${prefix}.bias`]) };
  };
  return {
    tf: {
      w: packed('tf.weight', tapRows.length, (d, r, c) => {
        const [p, k] = tapRows[r]!;
        const [kh, kw] = tfKernels[p]!;
        return get(`${d}.${paths[p]}.weight`).data[c * kh * kw + k]!;
      }),
      b: stacked('tf.bias', (d) => paths.map((p) => `${d}.${p}.bias`), [2, tfKernels.length, C]),
    },
    se: {
      fc1: conv('se.fc1'),
      fc2: conv('se.fc2'),
      conv1x1: conv('conv1x1', { w: [2, C], b: [2] }),
    },
    convIn: {
      // packed[d, i, o] = conv_in weight [o, i, 0]
      w: packed('conv_in.weight', (tfKernels.length + 1) * F, (d, i, o) => get(`${d}.conv_in.weight`).data[o * (tfKernels.length + 1) * F + i]!),
      b: stacked('conv_in.bias', (d) => [`${d}.conv_in.bias`]),
    },
    tabs: Array.from({ length: config.numDilations }, (_, j) => ({
      conv1: tabConv(`tab${j}.conv1.folded`),
      conv2: tabConv(`tab${j}.conv2.folded`),
    })),
    wsum: backend.upload(get('head.wsum').data, get('head.wsum').shape, 'fused.head.wsum'),
    head: {
      w: backend.upload(get('head.dense.weight').data, get('head.dense.weight').shape, 'fused.head.dense.weight'),
      b: backend.upload(get('head.dense.bias').data, get('head.dense.bias').shape, 'fused.head.dense.bias'),
    },
  };
}

/** Every tensor of a FusedParams (to dispose them). */
export function fusedTensors(params: FusedParams): Tensor[] {
  const convs = [params.tf, params.se.fc1, params.se.fc2, params.se.conv1x1, params.convIn, ...params.tabs.flatMap((t) => [t.conv1, t.conv2]), params.head];
  return [...convs.flatMap((c) => [c.w, c.b]), params.wsum];
}

/** The fused parameters of a model held as host values (a model file's tensors): fold, then upload. */
export function fusedParamsFromHost(
  backend: InferenceBackend,
  config: MsseConfig,
  state: { readonly parameters: ReadonlyMap<string, HostValues>; readonly buffers: ReadonlyMap<string, HostValues> },
): FusedParams {
  return uploadFusedParams(backend, config, foldBatchNorm(config, state));
}

/** The fused parameters of a model on `backend` (a ParamStore, e.g. while training): read back, fold, upload. */
export async function fusedParamsFromStore(backend: InferenceBackend, config: MsseConfig, store: ParamStore): Promise<FusedParams> {
  const readAll = async (tensors: ReadonlyMap<string, Tensor>): Promise<Map<string, HostValues>> =>
    new Map(await Promise.all([...tensors].map(async ([name, t]) => [name, { shape: t.shape, data: await backend.read(t) }] as const)));
  return fusedParamsFromHost(backend, config, { parameters: await readAll(store.params), buffers: await readAll(store.buffers) });
}

/** The fused inference forward on x (B, T, F) → logits (B, classes); see the module comment. */
export function msseFusedForward(graph: Graph<FusedInferenceBackend>, config: MsseConfig, params: FusedParams, x: Tensor): Tensor {
  if (x.shape.length !== 3 || x.shape[2] !== config.feat) {
    throw new ShapeError(`msse: input has shape ${formatShape(x.shape)}, expected (B, T, ${config.feat})`);
  }
  const { backend } = graph;
  const attrs = { kernels: config.tfKernels };
  const { fc1, fc2, conv1x1 } = params.se;
  const se = { fc1w: fc1.w, fc1b: fc1.b, fc2w: fc2.w, fc2b: fc2.b, w1x1: conv1x1.w, gateBias: conv1x1.b };
  const cat = tfPath(graph, x, params.tf.w, params.tf.b, se, attrs);
  let h = directionDense(graph, cat, params.convIn.w, params.convIn.b);
  backend.release(cat);
  const stack = tabStack(graph, h, config.numDilations);
  params.tabs.forEach(({ conv1, conv2 }, j) => {
    const out = tabInference(graph, h, conv1, conv2, stack, { taps: config.tabKernel, dilation: dilationOf(j), block: j });
    backend.release(h);
    h = out;
  });
  backend.release(h);
  const logits = dense(graph, tabPool(graph, stack, params.wsum), params.head.w, params.head.b);
  logits.name = 'logits';
  return logits;
}
