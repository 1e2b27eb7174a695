import { describe, expect, test } from 'vitest';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { smoothedTargets, softmaxCrossEntropy } from '../../src/ops/softmax-cross-entropy.ts';
import { Tape } from '../../src/runtime/tape.ts';
import { OP_GRADIENTS } from '../../src/ops/gradients.ts';
import { gradCheck, seeded } from './gradcheck.ts';

describe('softmax-cross-entropy', () => {
  test.each([
    { name: 'B=3 classes=7', labels: [0, 6, 2], classes: 7 },
    { name: 'B=1 classes=2', labels: [1], classes: 2 },
  ])('gradients by finite differences: $name', async ({ labels, classes }) => {
    const target = smoothedTargets(labels, classes, 0.1);
    await gradCheck(
      (t, [z, tg]) => softmaxCrossEntropy(t, z!, tg!).loss,
      [{ shape: [labels.length, classes], values: seeded(labels.length * classes, 5, -3, 3) }, { shape: [labels.length, classes], values: target, differentiable: false }],
    );
  });
  test('label smoothing 0.1 over 7 classes: onehot·0.9 + 0.1/7', () => {
    const t = smoothedTargets([2], 7, 0.1);
    expect(t[2]).toBeCloseTo(0.9 + 0.1 / 7, 15);
    expect(t[0]).toBeCloseTo(0.1 / 7, 15);
    expect(t.reduce((a, b) => a + b)).toBeCloseTo(1, 15);
  });
  test('uniform logits give loss ln(classes) and uniform probabilities', async () => {
    const { loss, probs } = softmaxCrossEntropy(new Tape(k, OP_GRADIENTS), k.upload(new Float64Array(14).fill(3), [2, 7]), k.upload(smoothedTargets([0, 4], 7, 0.1), [2, 7]));
    expect((await k.read(loss))[0]).toBeCloseTo(Math.log(7), 14);
    expect((await k.read(probs))[5]).toBeCloseTo(1 / 7, 15);
  });
});
