import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { referenceInference as k } from '../../src/backends/reference/inference.ts';
import { relativeError } from '../../src/check/compare.ts';
import { exportOnnx } from '../../src/infer/onnx-export.ts';
import { runInference, uploadStore, type HostStore } from '../../src/infer/index.ts';
import type { CheckedModel } from '../../src/infer/checked-model.ts';
import { encodeOnnxModel } from '../../src/io/onnx/onnx.ts';
import { EMODB_CONFIG, type MsseConfig } from '../../src/model/config.ts';
import { foldBatchNorm } from '../../src/model/fold-batch-norm.ts';
import { msseOnnxModel } from '../../src/model/onnx-graph.ts';
import { bufferSpecs, paramSpecs, type ParamSpec } from '../../src/model/params.ts';
import { loadCheckedModel } from '../../src/platform/node/model-file.ts';
import { createMfccExtractor } from '../../src/platform/node/mfcc.ts';
import { readWavFile } from '../../src/platform/node/wav-file.ts';
import { numElements } from '../../src/runtime/tensor.ts';
import { ortFloats, ortSession, type OptimizationLevel } from '../support/onnxruntime.ts';
import { mulberry32 } from '../support/prng.ts';
import { repoRoot, sharedPath } from '../support/paths.ts';

/** The bar for ONNX Runtime (float32) against msse's float64 reference. */
const TOLERANCE = 1e-5;
const UTTERANCES = ['03a01Wa', '03a01Nc', '03a02Fc'];
/** 'basic' and 'all' (which includes 'extended', where onnxruntime-web 1.22–1.30 miscomputes Transpose → MatMul 1-D). */
const LEVELS: OptimizationLevel[] = ['basic', 'all'];

/** ONNX Runtime's logits for x (batch, T, F). */
async function ortLogits(bytes: Uint8Array, level: OptimizationLevel, x: Float32Array, dims: number[]): Promise<Float32Array> {
  const session = await ortSession(bytes, level);
  try {
    const { logits } = await session.run({ mfcc: ortFloats(x, dims) });
    return logits!.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('msse export of the shipped model, run in onnxruntime-web (wasm)', () => {
  let checked: CheckedModel;
  let onnx: ReturnType<typeof exportOnnx>;
  let mfccs: Float32Array; // (3, T, F), the three utterances one after the other
  let reference: Float32Array | Float64Array; // (3, classes): msse's float64 logits (the reference backend reads Float64Array)
  beforeAll(async () => {
    checked = loadCheckedModel(join(repoRoot, 'models', 'emodb.safetensors'));
    onnx = exportOnnx(checked, 'test');
    const extractor = await createMfccExtractor();
    const parts = UTTERANCES.map((stem) => {
      const wav = readWavFile(sharedPath('data', 'emodb', 'wav', `${stem}.wav`));
      return extractor.mfcc(wav.samples, wav.sampleRateHz, checked.lengthSamples);
    });
    mfccs = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.forEach((p, i) => mfccs.set(p, i * p.length));
    const { config, model } = checked;
    const x = k.upload(mfccs, [3, onnx.frames, config.feat]);
    reference = await k.read(runInference(k, config, uploadStore(k, config, model, model.file), x).logits);
  });

  test('has the input and output ONNX Runtime expects: mfcc (batch, 188, 39) → logits (batch, 7)', async () => {
    expect(onnx.frames).toBe(188);
    const session = await ortSession(onnx.bytes, 'disabled');
    expect([session.inputNames, session.outputNames]).toEqual([['mfcc'], ['logits']]);
    expect(session.inputMetadata[0]).toMatchObject({ name: 'mfcc', type: 'float32', shape: ['batch', 188, 39] });
    expect(session.outputMetadata[0]).toMatchObject({ name: 'logits', type: 'float32', shape: ['batch', 7] });
    await session.release();
  });

  test.each(LEVELS)('level %s: the logits of msse at batch 1 (each utterance) and batch 3, relative error <= 1e-5', async (level) => {
    const classes = checked.config.numClasses;
    const exampleSize = onnx.frames * checked.config.feat;
    for (let i = 0; i < UTTERANCES.length; i++) {
      const got = await ortLogits(onnx.bytes, level, mfccs.subarray(i * exampleSize, (i + 1) * exampleSize), [1, onnx.frames, checked.config.feat]);
      const ref = reference.subarray(i * classes, (i + 1) * classes);
      expect(relativeError(got, ref), `${UTTERANCES[i]} alone`).toBeLessThanOrEqual(TOLERANCE);
    }
    const batch = await ortLogits(onnx.bytes, level, mfccs, [3, onnx.frames, checked.config.feat]);
    expect(relativeError(batch, reference), 'batch of 3').toBeLessThanOrEqual(TOLERANCE);
    // The utterances are told apart: not one answer for every input.
    const top = (i: number) => {
      const row = [...reference.subarray(i * classes, (i + 1) * classes)];
      return row.indexOf(Math.max(...row));
    };
    expect(new Set([0, 1, 2].map(top)).size).toBeGreaterThan(1);
  });
});

/**
 * Another shape of network than EMO-DB's: F ≠ C, a 2×2 TF kernel (TF 'same' pads it 0 before, 1 after), 3 TAB taps,
 * T below the last dilation; random weights and BatchNorm statistics.
 */
describe('msseOnnxModel on a small network of another configuration', () => {
  const config: MsseConfig = {
    ...EMODB_CONFIG,
    feat: 5,
    filters: 4,
    numClasses: 3,
    numDilations: 4,
    tabKernel: 3,
    tfKernels: [[3, 1], [1, 3], [2, 2]],
  };
  const frames = 7;
  const rand = mulberry32(46);
  const random = (spec: ParamSpec, lo: number, hi: number) => ({
    shape: spec.shape,
    data: Float32Array.from({ length: numElements(spec.shape) }, () => lo + (hi - lo) * rand()),
  });
  const host: HostStore = {
    parameters: new Map(paramSpecs(config).map((s) => [s.name, random(s, -0.8, 0.8)])),
    buffers: new Map(bufferSpecs(config).map((s) => [s.name, s.name.endsWith('running_var') ? random(s, 0.05, 2) : random(s, -0.5, 0.5)])),
  };
  const x = Float32Array.from({ length: 2 * frames * config.feat }, () => 2 * rand() - 1);

  test.each(LEVELS)('level %s: logits equal msse reference, relative error <= 1e-5', async (level) => {
    const onnx = msseOnnxModel(config, foldBatchNorm(config, host), { frames, producerVersion: 'test', metadata: {}, docString: '' });
    const ref = await k.read(runInference(k, config, uploadStore(k, config, host, 'random'), k.upload(x, [2, frames, config.feat])).logits);
    const got = await ortLogits(encodeOnnxModel(onnx), level, x, [2, frames, config.feat]);
    expect(relativeError(got, ref)).toBeLessThanOrEqual(TOLERANCE);
  });
});
