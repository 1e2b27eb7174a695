import { describe, expect, test } from 'vitest';
import { ForwardPass } from '../../src/runtime/graph.ts';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { EMODB_CONFIG } from '../../src/model/config.ts';
import { msseForward, msseLoss } from '../../src/model/msse.ts';
import { bufferSpecs, glorotLimit, initParams, paramSpecs } from '../../src/model/params.ts';
import { Tape } from '../../src/runtime/tape.ts';
import { OP_GRADIENTS } from '../../src/ops/gradients.ts';
import { numElements } from '../../src/runtime/tensor.ts';
import { seeded } from '../ops/gradcheck.ts';

const count = (cfg: typeof EMODB_CONFIG) => paramSpecs(cfg).reduce((n, s) => n + numElements(s.shape), 0);

describe('MS-SENet parameters', () => {
  test('parameter counts match the golden fixtures (n = 8: 122,906; n = 3: 59,721)', () => {
    expect(count(EMODB_CONFIG)).toBe(122_906);
    expect(count({ ...EMODB_CONFIG, numDilations: 3 })).toBe(59_721);
    expect(bufferSpecs({ ...EMODB_CONFIG, numDilations: 3 })).toHaveLength(36);
  });
  test('Keras glorot-uniform fans: Conv2D 11x1 (39·11 + 1·11), Dense 39→7', () => {
    expect(glorotLimit([39, 1, 11, 1])).toBeCloseTo(Math.sqrt(6 / (11 + 39 * 11)), 15);
    expect(glorotLimit([7, 39])).toBeCloseTo(Math.sqrt(6 / 46), 15);
  });
  test('init is seeded, float32-representable, within the limits, BN gamma 1 beta 0, running 0/1', async () => {
    const a = initParams(k, EMODB_CONFIG, 1);
    const b = initParams(k, EMODB_CONFIG, 1);
    const w = await k.read(a.param('fwd.tab3.conv2.weight'));
    expect(w).toEqual(await k.read(b.param('fwd.tab3.conv2.weight')));
    expect(w).not.toEqual(await k.read(initParams(k, EMODB_CONFIG, 2).param('fwd.tab3.conv2.weight')));
    expect(w.every((v) => Math.fround(v) === v && Math.abs(v) <= glorotLimit([39, 39, 2]))).toBe(true);
    expect(Math.max(...(await k.read(a.param('head.wsum'))).map(Math.abs))).toBeLessThanOrEqual(0.05);
    expect([...(await k.read(a.param('bwd.tab0.bn1.gamma')))].every((v) => v === 1)).toBe(true);
    expect([...(await k.read(a.param('fwd.se.fc1.bias')))].every((v) => v === 0)).toBe(true);
    expect([...(await k.read(a.buffer('fwd.tf.path2.bn.running_var')))].every((v) => v === 1)).toBe(true);
  });
  test('any classes, n and T: a 3-class, n = 2 model on T = 5 trains one step and infers', async () => {
    const cfg = { ...EMODB_CONFIG, numClasses: 3, numDilations: 2 };
    const store = initParams(k, cfg, 9);
    const x = k.upload(seeded(2 * 5 * 39, 1), [2, 5, 39]);
    const tape = new Tape(k, OP_GRADIENTS);
    const { logits, activations } = msseForward(tape, cfg, store, x, { training: true, dropout: { seed: 1, step: 0 } });
    expect(logits.shape).toEqual([2, 3]);
    expect(activations.get('bwd.tab1')!.shape).toEqual([2, 5, 39]);
    const grads = tape.backward(msseLoss(tape, cfg, logits, [0, 2]).loss);
    expect(grads.get(store.param('bwd.tf.path1.conv.weight'))!.shape).toEqual([39, 1, 11, 1]);
    const inference = msseForward(new ForwardPass(k), cfg, store, x, { training: false });
    expect((await k.read(inference.logits)).every(Number.isFinite)).toBe(true);
  });
});
