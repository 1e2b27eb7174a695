import { EMODB_CONFIG, type MsseConfig } from '../../src/model/config.ts';
import { counterUniform } from '../../src/runtime/random.ts';
import type { FeatureSet } from '../../src/train/batches.ts';
import type { TrainingState } from '../../src/train/checkpoint.ts';

/** The small network of the CLI tests: 2 TABs per direction, 7 classes. */
export const config: MsseConfig = { ...EMODB_CONFIG, numDilations: 2 };
export const FRAMES = 17;

/** n examples of (17 frames × 39) features in about [−1, 1) whose class k adds 0.5·k to its first frame. */
export function syntheticSet(n: number): FeatureSet {
  const size = FRAMES * config.feat;
  const features = new Float32Array(n * size);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % config.numClasses;
    for (let j = 0; j < size; j++) features[i * size + j] = 2 * counterUniform(5, 77, 0, i, j) - 1 + (j < config.feat ? 0.5 * labels[i]! : 0);
  }
  return { features, labels, frames: FRAMES, coefficients: config.feat };
}

/** Every number of a training state by name (parameters, buffers, Adam moments, progress), for toEqual. */
export function flatten(state: TrainingState): Record<string, number[]> {
  const out: Record<string, number[]> = { progress: [state.epoch, state.step] };
  for (const [group, tensors] of [['param', state.store.parameters], ['buffer', state.store.buffers]] as const) {
    for (const [name, t] of tensors) out[`${group}.${name}`] = [...t.data];
  }
  for (const [name, { m, v }] of state.moments) {
    out[`m.${name}`] = [...m.data];
    out[`v.${name}`] = [...v.data];
  }
  return out;
}
