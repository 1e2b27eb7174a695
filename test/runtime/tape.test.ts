import { describe, expect, test } from 'vitest';
import { ForwardPass } from '../../src/runtime/graph.ts';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { add } from '../../src/ops/add.ts';
import { mul } from '../../src/ops/mul.ts';
import { mean } from '../../src/ops/reduce-sum.ts';
import { relu } from '../../src/ops/relu.ts';
import { reshape } from '../../src/ops/reshape.ts';
import { Tape } from '../../src/runtime/tape.ts';
import { OP_GRADIENTS } from '../../src/ops/gradients.ts';
import type { Tensor } from '../../src/runtime/tensor.ts';

describe('tape', () => {
  test('sums the gradients of a tensor that feeds several ops', async () => {
    // L = mean(x·x + relu(x)) over 2 elements: dL/dx = (2x + [x > 0]) / 2.
    const tape = new Tape(k, OP_GRADIENTS);
    const x = k.upload([3, -2], [1, 2]);
    x.requiresGrad = true;
    const loss = mean(tape, add(tape, mul(tape, x, x), relu(tape, x)), 1, 1);
    const grads = tape.backward(loss);
    expect([...(await k.read(grads.get(x)!))]).toEqual([3.5, -2]);
  });
  test('an op with backwardAdding adds its gradient to the one already there: no separate add', async () => {
    // L = mean(x) + mean(2x) over 2 elements: backward reaches mean(x) with 2x's gradient on x already.
    const adds: string[] = [];
    const counting = { ...k, add: { forward: (a: Tensor, b: Tensor) => (adds.push('add'), k.add.forward(a, b)) } };
    const tape = new Tape(counting, OP_GRADIENTS);
    const x = k.upload([3, -2], [1, 2]);
    x.requiresGrad = true;
    const loss = add(tape, mean(tape, x, 1, 1), mean(tape, mul(tape, x, k.upload([2, 2], [1, 2])), 1, 1));
    adds.length = 0;
    const grads = tape.backward(loss);
    expect([...(await k.read(grads.get(x)!))]).toEqual([1.5, 1.5]);
    expect(adds).toEqual([]);
  });
  test('returns leaf and retained gradients only; inputs without requiresGrad get none', async () => {
    const tape = new Tape(k, OP_GRADIENTS);
    const w = k.upload([2], [1, 1]);
    w.requiresGrad = true;
    const data = k.upload([5], [1, 1]);
    const hidden = mul(tape, data, w);
    const unused = relu(tape, hidden);
    const loss = reshape(tape, hidden, [1]);
    const grads = tape.backward(loss, { retain: [hidden] });
    expect([...(await k.read(grads.get(w)!))]).toEqual([5]);
    expect([...(await k.read(grads.get(hidden)!))]).toEqual([1]);
    expect(grads.has(data)).toBe(false);
    expect(grads.has(unused)).toBe(false);
  });
  test('release frees each tensor after the last backward that reads it, never the loss, kept tensors or returned gradients', async () => {
    // L = mean(relu(x·x) + h) with h = x·x feeding both: h is read by relu's and add's backward, freed after mul's.
    const released: unknown[] = [];
    const tracking = { ...k, release: (t: Tensor) => released.push(t.storage) };
    const tape = new Tape(tracking, OP_GRADIENTS);
    const x = k.upload([3, -2], [1, 2]);
    x.requiresGrad = true;
    const h = mul(tape, x, x);
    const r = relu(tape, h);
    const sum = add(tape, r, h);
    const loss = mean(tape, sum, 1, 1);
    const grads = tape.backward(loss, { release: { keep: [r] } });
    expect([...(await k.read(grads.get(x)!))]).toEqual([6, -4]); // (2x·[x² > 0] + 2x) / 2
    expect(released).toContain(h.storage);
    expect(released).toContain(sum.storage);
    // (x, an uploaded leaf, may be offered too: backends ignore release for persistent tensors.)
    for (const survivor of [loss, r, grads.get(x)!]) expect(released).not.toContain(survivor.storage);
    // h's storage goes only after mul's backward (the last node to read it), which is the last node walked.
    expect(released.indexOf(h.storage)).toBeGreaterThan(released.indexOf(sum.storage));
  });
  test('a tape that does not record keeps nothing and needs no backward', () => {
    const w = k.upload([2], [1]);
    w.requiresGrad = true;
    expect(relu(new ForwardPass(k), w).requiresGrad).toBe(false);
  });
  test('the reference backend names the kernel, tensor and index of an out-of-bounds access', () => {
    // A kernel given a bias shorter than its contract allows: call the kernel directly, past the op's check.
    const x = k.upload([1, 2], [1, 1, 2]);
    expect(() => k.dense.forward(x, k.upload([1, 1], [1, 2]), k.upload([], [0]))).toThrowError(
      new RangeError('dense.forward: b index (0) out of bounds for shape (0)'),
    );
  });
});
