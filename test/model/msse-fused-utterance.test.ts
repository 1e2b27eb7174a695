import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MsseModel } from '../../src/api/types.ts';
import { referenceBackend } from '../../src/backends/reference/index.ts';
import { checkModel } from '../../src/infer/checked-model.ts';
import { uploadStore } from '../../src/infer/model-state.ts';
import { predictProbabilities, runInference, softmax } from '../../src/infer/predict.ts';
import { decodeModel } from '../../src/io/model-file.ts';
import { fusedParamsFromHost } from '../../src/model/msse-fused.ts';
import { loadModel } from '../../src/node.ts';
import { openBackend } from '../../src/platform/node/backends.ts';
import { readWavFile } from '../../src/platform/node/wav-file.ts';
import type { InferenceBackend } from '../../src/runtime/backend.ts';
import { emodbWavDir, repoRoot } from '../support/paths.ts';
import { relativeError } from '../../src/check/compare.ts';

// The shipped EMO-DB model on real utterances: the fused forward's logits equal the unfused forward's (relative
// 1e-5) on the reference backend and on WebGPU, and the library (which takes the fused path) gives the unfused
// probabilities.
const modelPath = join(repoRoot, 'models', 'emodb.safetensors');
const UTTERANCES = ['03a01Wa.wav', '03a01Nc.wav', '08b02Tc.wav'];

let library: MsseModel;
let features: Float32Array;

beforeAll(async () => {
  library = await loadModel(modelPath, { backend: 'webgpu' });
  features = new Float32Array(UTTERANCES.length * 188 * 39);
  UTTERANCES.forEach((file, i) => {
    const { samples, sampleRateHz } = readWavFile(join(emodbWavDir, file));
    features.set(library.mfcc(samples, sampleRateHz), i * 188 * 39);
  });
}, 60_000);
afterAll(() => library?.dispose());

async function logitsBothWays(backend: InferenceBackend): Promise<{ fused: ArrayLike<number>; unfused: ArrayLike<number> }> {
  const { model, config } = checkModel(decodeModel(readFileSync(modelPath), modelPath));
  const host = { parameters: model.parameters, buffers: model.buffers };
  const store = uploadStore(backend, config, host, modelPath);
  const x = backend.upload(features, [UTTERANCES.length, 188, config.feat], 'x');
  const unfused = await backend.read(runInference(backend, config, store, x).logits);
  backend.releaseTransients();
  const fused = await backend.read(runInference(backend, config, store, x, fusedParamsFromHost(backend, config, host)).logits);
  backend.releaseTransients();
  return { fused, unfused };
}

describe('fused inference forward, shipped EMO-DB model on real utterances', () => {
  test('reference: fused logits = unfused logits', async () => {
    const { fused, unfused } = await logitsBothWays(referenceBackend);
    expect(relativeError(fused, unfused)).toBeLessThan(1e-5);
  }, 120_000);

  test('webgpu (outputs poisoned): fused logits = unfused logits; the library gives the unfused probabilities', async () => {
    const open = await openBackend('webgpu', { poisonOutputs: true });
    try {
      const { fused, unfused } = await logitsBothWays(open.backend);
      expect(relativeError(fused, unfused)).toBeLessThan(1e-5);
      const { model, config } = checkModel(decodeModel(readFileSync(modelPath), modelPath));
      const store = uploadStore(open.backend, config, { parameters: model.parameters, buffers: model.buffers }, modelPath);
      const probs = await predictProbabilities(open.backend, config, store, features, 188, 2, { fused: false });
      const classified = await library.classifyBatch(
        UTTERANCES.map((file) => {
          const { samples, sampleRateHz } = readWavFile(join(emodbWavDir, file));
          return { audio: samples, sampleRateHz };
        }),
      );
      classified.forEach((c, i) => {
        const want = softmax(Array.from(unfused).slice(i * config.numClasses, (i + 1) * config.numClasses));
        expect(relativeError(Object.values(c.probs), want), UTTERANCES[i]).toBeLessThan(1e-5);
        expect(relativeError(probs.subarray(i * config.numClasses, (i + 1) * config.numClasses), want)).toBeLessThan(1e-5);
      });
    } finally {
      open.close();
    }
  }, 120_000);
});
