import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { referenceInference as k } from '../../src/backends/reference/inference.ts';
import { relativeError } from '../../src/check/compare.ts';
import { uploadStore, runInference, type HostStore } from '../../src/infer/index.ts';
import { bufferSpecs, paramSpecs } from '../../src/model/params.ts';
import { convBatchNormPairs, foldBatchNorm, foldConvBatchNorm, type HostValues } from '../../src/model/fold-batch-norm.ts';
import { EMODB_CONFIG } from '../../src/model/config.ts';
import { frameCount } from '../../src/audio/mfcc-settings.ts';
import { loadCheckedModel } from '../../src/platform/node/model-file.ts';
import { createMfccExtractor } from '../../src/platform/node/mfcc.ts';
import { readWavFile } from '../../src/platform/node/wav-file.ts';
import type { CheckedModel } from '../../src/infer/checked-model.ts';
import { numElements, type Shape, type Tensor } from '../../src/runtime/tensor.ts';
import { mulberry32 } from '../support/prng.ts';
import { repoRoot, sharedPath } from '../support/paths.ts';

const EPS = 1e-3;

/** Random conv and BatchNorm tensors; one channel's running variance near 0, so its scale is about 30. */
function randomCase(seed: number, wShape: Shape) {
  const rand = mulberry32(seed);
  const uniform = (shape: Shape, lo: number, hi: number): HostValues => ({
    shape,
    data: Float64Array.from({ length: numElements(shape) }, () => lo + (hi - lo) * rand()),
  });
  const chans = wShape[0]!;
  const runningVar = uniform([chans], 0, 2);
  (runningVar.data as Float64Array)[chans - 1] = 1e-4;
  return {
    conv: { weight: uniform(wShape, -1, 1), bias: uniform([chans], -1, 1) },
    bn: { gamma: uniform([chans], -2, 2), beta: uniform([chans], -1, 1), runningMean: uniform([chans], -1, 1), runningVar },
    uniform,
  };
}

/** The same values rounded to float32, as a model file stores them. */
const f32 = (t: HostValues): HostValues => ({ shape: t.shape, data: Float32Array.from(t.data) });
const up = (t: HostValues): Tensor => k.upload(t.data, t.shape);

type ConvCase =
  | { name: string; kind: 'conv2d'; x: Shape; w: Shape }
  | { name: string; kind: 'conv1d-causal'; x: Shape; w: Shape; dilation: number };

/** Shapes chosen to break index maths: size-1 axes, kernels longer than the input, T below the dilation. */
const CASES: ConvCase[] = [
  { name: 'conv2d B=2 T=5 F=4 C=3 3x3', kind: 'conv2d', x: [2, 5, 4], w: [3, 1, 3, 3] },
  { name: 'conv2d B=1 T=7 F=1 C=5 11x1 (kernel longer than T)', kind: 'conv2d', x: [1, 7, 1], w: [5, 1, 11, 1] },
  { name: 'conv2d B=3 T=1 F=9 C=1 1x9', kind: 'conv2d', x: [3, 1, 9], w: [1, 1, 1, 9] },
  { name: 'conv1d-causal B=2 T=9 Cin=3 Cout=4 K=2 d=4', kind: 'conv1d-causal', x: [2, 9, 3], w: [4, 3, 2], dilation: 4 },
  { name: 'conv1d-causal B=1 T=3 Cin=1 Cout=2 K=3 d=8 (T < d)', kind: 'conv1d-causal', x: [1, 3, 1], w: [2, 1, 3], dilation: 8 },
  { name: 'conv1d-causal B=2 T=16 Cin=5 Cout=5 K=2 d=1', kind: 'conv1d-causal', x: [2, 16, 5], w: [5, 5, 2], dilation: 1 },
];

/** The reference backend's conv of the case's kind. */
function conv(c: ConvCase, x: Tensor, w: HostValues, b: HostValues): Tensor {
  return c.kind === 'conv2d'
    ? k.conv2d.forward(x, up(w), up(b), { kh: c.w[2]!, kw: c.w[3]! })
    : k.conv1dCausal.forward(x, up(w), up(b), { taps: c.w[2]!, dilation: c.dilation });
}

/** The unfolded reference: conv, then BatchNorm on the running statistics. */
function convThenBatchNorm(c: ConvCase, x: Tensor, p: ReturnType<typeof randomCase>): Tensor {
  const { gamma, beta, runningMean, runningVar } = p.bn;
  return k.batchNorm.forwardInference(conv(c, x, p.conv.weight, p.conv.bias), up(gamma), up(beta), up(runningMean), up(runningVar), { eps: EPS });
}

describe('foldConvBatchNorm against conv + BatchNorm on the reference backend', () => {
  test.each(CASES.map((c, i) => ({ ...c, seed: 100 + i })))('float64, relative error <= 1e-12: $name', async (c) => {
    const p = randomCase(c.seed, c.w);
    const x = up(p.uniform(c.x, -1, 1));
    const folded = foldConvBatchNorm(p.conv, p.bn, EPS);
    const e = relativeError(await k.read(conv(c, x, folded.weight, folded.bias)), await k.read(convThenBatchNorm(c, x, p)));
    expect(e).toBeLessThanOrEqual(1e-12);
  });

  // A float32 model file folded in float64 and stored as float32 (what a GPU reads): only the final rounding of the
  // folded weights and biases separates it from the exact conv + BN of the stored values.
  test.each(CASES.map((c, i) => ({ ...c, seed: 200 + i })))('float32 parameters, relative error <= 1e-6: $name', async (c) => {
    const p = randomCase(c.seed, c.w);
    const stored = {
      ...p,
      conv: { weight: f32(p.conv.weight), bias: f32(p.conv.bias) },
      bn: { gamma: f32(p.bn.gamma), beta: f32(p.bn.beta), runningMean: f32(p.bn.runningMean), runningVar: f32(p.bn.runningVar) },
    };
    const x = up(f32(p.uniform(c.x, -1, 1)));
    const folded = foldConvBatchNorm(stored.conv, stored.bn, EPS);
    const got = await k.read(conv(c, x, f32(folded.weight), f32(folded.bias)));
    const e = relativeError(got, await k.read(convThenBatchNorm(c, x, stored)));
    expect(e).toBeLessThanOrEqual(1e-6);
    expect(e).toBeGreaterThan(0); // the float32 rounding is really there
  });

  test('a BatchNorm vector of the wrong size is a shape error', () => {
    const p = randomCase(1, [3, 2, 2]);
    expect(() => foldConvBatchNorm(p.conv, { ...p.bn, runningVar: { shape: [2], data: [1, 1] } }, EPS)).toThrowError(
      'fold-batch-norm: runningVar has shape (2), expected (3)',
    );
  });
});

describe('foldBatchNorm on a whole MS-SENet', () => {
  test('folds every BatchNorm once and passes every other parameter through under its golden name', () => {
    const pairs = convBatchNormPairs(EMODB_CONFIG);
    const bnNames = new Set(bufferSpecs(EMODB_CONFIG).map((s) => s.name.replace(/\.running_(mean|var)$/, '')));
    expect(pairs.map((p) => p.bn).sort()).toEqual([...bnNames].sort());
    expect(pairs.find((p) => p.conv === 'bwd.tab7.conv2')).toEqual({ conv: 'bwd.tab7.conv2', bn: 'bwd.tab7.bn2', folded: 'bwd.tab7.conv2.folded' });

    const rand = mulberry32(7);
    const host = (specs: ReturnType<typeof paramSpecs>) =>
      new Map(specs.map((s) => [s.name, { shape: s.shape, data: Float32Array.from({ length: numElements(s.shape) }, () => rand() + 0.5) }]));
    const parameters = host(paramSpecs(EMODB_CONFIG));
    const folded = foldBatchNorm(EMODB_CONFIG, { parameters, buffers: host(bufferSpecs(EMODB_CONFIG)) });
    const foldedNames = pairs.flatMap((p) => [`${p.folded}.weight`, `${p.folded}.bias`]);
    const untouched = [...parameters.keys()].filter((name) => !pairs.some((p) => name.startsWith(`${p.conv}.`) || name.startsWith(`${p.bn}.`)));
    expect(untouched).toContain('fwd.se.fc1.weight');
    expect(untouched).toContain('head.wsum');
    expect([...folded.keys()].sort()).toEqual([...foldedNames, ...untouched].sort());
    for (const name of untouched) expect([...folded.get(name)!.data]).toEqual([...parameters.get(name)!.data]);
    expect(folded.get('fwd.tab0.conv1.folded.weight')!.shape).toEqual([39, 39, 2]);
  });
});

describe('the shipped model with folded parameters', () => {
  let checked: CheckedModel;
  let mfcc: Float32Array;
  beforeAll(async () => {
    checked = loadCheckedModel(join(repoRoot, 'models', 'emodb.safetensors'));
    const wav = readWavFile(sharedPath('data', 'emodb', 'wav', '03a01Wa.wav'));
    mfcc = (await createMfccExtractor()).mfcc(wav.samples, wav.sampleRateHz, checked.lengthSamples);
  });

  // The reference forward on folded convs: each folded pair goes in its conv's place and its BatchNorm becomes the
  // identity (γ 1, β 0, mean 0, variance 1 − eps, so sqrt(variance + eps) = 1), leaving the folded conv's output.
  test('gives the logits of the unfolded model, relative error <= 1e-12 (float64)', async () => {
    const { config, model } = checked;
    const folded = foldBatchNorm(config, model);
    const parameters = new Map<string, HostValues>(model.parameters);
    const buffers = new Map<string, HostValues>(model.buffers);
    for (const { conv, bn, folded: name } of convBatchNormPairs(config)) {
      const chans = folded.get(`${name}.bias`)!.shape[0]!;
      const fill = (value: number): HostValues => ({ shape: [chans], data: new Float64Array(chans).fill(value) });
      parameters.set(`${conv}.weight`, folded.get(`${name}.weight`)!);
      parameters.set(`${conv}.bias`, folded.get(`${name}.bias`)!);
      parameters.set(`${bn}.gamma`, fill(1));
      parameters.set(`${bn}.beta`, fill(0));
      buffers.set(`${bn}.running_mean`, fill(0));
      buffers.set(`${bn}.running_var`, fill(1 - config.bnEps));
    }
    const frames = frameCount(checked.lengthSamples);
    const logits = async (host: HostStore) => {
      const x = k.upload(mfcc, [1, frames, config.feat]);
      return k.read(runInference(k, config, uploadStore(k, config, host, model.file), x).logits);
    };
    const unfolded = await logits(model);
    const e = relativeError(await logits({ parameters, buffers } as HostStore), unfolded);
    expect(e).toBeLessThanOrEqual(1e-12);
    expect(Math.max(...unfolded.map(Math.abs))).toBeGreaterThan(1); // real logits, not a degenerate zero
  });
});
