import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { referenceInference } from '../../../src/backends/reference/inference.ts';
import { createWasmInference } from '../../../src/backends/wasm/inference.ts';
import { uploadStore } from '../../../src/infer/model-state.ts';
import { predictProbabilities } from '../../../src/infer/predict.ts';
import { createMfccExtractor } from '../../../src/platform/node/mfcc.ts';
import { loadCheckedModel } from '../../../src/platform/node/model-file.ts';
import { openWasmInference } from '../../../src/platform/node/wasm-backend.ts';
import { readWavFile } from '../../../src/platform/node/wav-file.ts';
import type { InferenceBackend } from '../../../src/runtime/backend.ts';
import { emodbWavDir, repoRoot } from '../../support/paths.ts';

// The whole network on the wasm backend: the shipped model on three EMO-DB utterances (anger, neutral, happiness),
// outputs poisoned, against the float64 reference backend's probabilities.
describe('the shipped model on the wasm backend', () => {
  const checked = loadCheckedModel(join(repoRoot, 'models', 'emodb.safetensors'));
  const files = ['03a01Wa.wav', '03a01Nc.wav', '03a02Fc.wav'];
  let features: Float32Array;
  let reference: Float64Array;
  beforeAll(async () => {
    const extractor = await createMfccExtractor();
    const parts = files.map((f) => readWavFile(join(emodbWavDir, f))).map((w) => extractor.mfcc(w.samples, w.sampleRateHz, checked.lengthSamples));
    features = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.forEach((p, i) => features.set(p, i * p.length));
    reference = await probabilities(referenceInference, 3);
  });

  const probabilities = (backend: InferenceBackend, batch: number): Promise<Float64Array> => {
    const { model, config } = checked;
    const params = uploadStore(backend, config, { parameters: model.parameters, buffers: model.buffers }, model.file);
    return predictProbabilities(backend, config, params, features, features.length / files.length / config.feat, batch);
  };

  test.each([1, 3])('batch %i: the float64 reference probabilities within 1e-5', async (batch) => {
    const got = await probabilities(await openWasmInference({ poisonOutputs: true }), batch);
    expect(got.length).toBe(files.length * checked.config.numClasses);
    expect(got.every(Number.isFinite)).toBe(true);
    expect(Math.max(...got.map((p, i) => Math.abs(p - reference[i]!)))).toBeLessThan(1e-5);
  });

  // Every kernel computes an output element the same way whatever the batch (tiles group rows, never reorder a
  // row's sum), so an utterance's probabilities do not depend on the rest of its batch, bit for bit.
  test('batch 1 and batch 3 give the same probabilities, bit for bit, on one instance', async () => {
    const backend = await openWasmInference();
    expect(await probabilities(backend, 3)).toEqual(await probabilities(backend, 1));
  });

  // Threads split samples (and the two directions of the fused path): each output element is computed as on one
  // thread. The page's single-thread build (network.wasm, its own plain memory) is the same code.
  test('2 and 3 threads, and the plain-memory build network.wasm, give the same probabilities bit for bit', async () => {
    const one = await probabilities(await openWasmInference({ threads: 1 }), 3);
    for (const threads of [2, 3]) {
      const backend = await openWasmInference({ threads, poisonOutputs: true });
      expect(backend.threadCount).toBe(threads);
      expect(await probabilities(backend, 3)).toEqual(one);
      backend.close();
    }
    const plain = await createWasmInference(readFileSync(join(repoRoot, 'build', 'network.wasm')));
    expect(plain.threadCount).toBe(1);
    expect(await probabilities(plain, 3)).toEqual(one);
  });
});
