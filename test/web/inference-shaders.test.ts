import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inferenceWgsl } from '../../scripts/web/inference-wgsl.ts';
import { referenceInference } from '../../src/backends/reference/inference.ts';
import type { GpuContext } from '../../src/backends/webgpu/device.ts';
import { createDispatchContext } from '../../src/backends/webgpu/dispatch.ts';
import { createWebGpuInference } from '../../src/backends/webgpu/inference.ts';
import type { ShaderLoader } from '../../src/backends/webgpu/pipeline-cache.ts';
import { GpuTensors } from '../../src/backends/webgpu/tensors.ts';
import { uploadStore } from '../../src/infer/model-state.ts';
import { predictProbabilities } from '../../src/infer/predict.ts';
import { readShaderFile } from '../../src/platform/node/assets.ts';
import { openNodeGpu } from '../../src/platform/node/backends.ts';
import { createMfccExtractor } from '../../src/platform/node/mfcc.ts';
import { loadCheckedModel } from '../../src/platform/node/model-file.ts';
import { readWavFile } from '../../src/platform/node/wav-file.ts';
import type { InferenceBackend } from '../../src/runtime/backend.ts';
import { emodbWavDir, repoRoot } from '../support/paths.ts';
import { join } from 'node:path';

// The browser bundle ships each shader pruned to INFERENCE_ENTRIES. Run the shipped model on such shaders (outputs
// poisoned, so an unwritten element shows): a missing entry fails pipeline creation here, not in a page.
describe('inference on the pruned WGSL the browser bundle inlines', () => {
  const checked = loadCheckedModel(join(repoRoot, 'models', 'emodb.safetensors'));
  const files = ['03a01Wa.wav', '03a01Nc.wav', '03a02Fc.wav'];
  let gpu: GpuContext;
  let features: Float32Array;
  beforeAll(async () => {
    gpu = await openNodeGpu();
    const extractor = await createMfccExtractor();
    const parts = files.map((f) => readWavFile(join(emodbWavDir, f))).map((w) => extractor.mfcc(w.samples, w.sampleRateHz, checked.lengthSamples));
    features = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.forEach((p, i) => features.set(p, i * p.length));
  });
  afterAll(() => gpu?.destroy());

  const probabilities = (backend: InferenceBackend, batch: number) => {
    const { model, config } = checked;
    const params = uploadStore(backend, config, { parameters: model.parameters, buffers: model.buffers }, model.file);
    return predictProbabilities(backend, config, params, features, features.length / files.length / config.feat, batch);
  };
  const onGpu = (load: ShaderLoader) => createWebGpuInference(new GpuTensors(createDispatchContext(gpu, load), { poisonOutputs: true }));

  test.each([1, 3])('batch %i: the same probabilities as the full shaders, bit for bit, and as the float64 reference', async (batch) => {
    const pruned = inferenceWgsl(repoRoot);
    const got = await probabilities(onGpu((family) => pruned[family]!), batch);
    expect(got.every(Number.isFinite)).toBe(true);
    expect(got).toEqual(await probabilities(onGpu(readShaderFile), batch));
    const reference = await probabilities(referenceInference, batch);
    expect(Math.max(...got.map((p, i) => Math.abs(p - reference[i]!)))).toBeLessThan(1e-5);
  });
});
