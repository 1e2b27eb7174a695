import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { WasmBackendExtras } from '../../../src/backends/wasm/open.ts';
import { openWasmBackend } from '../../../src/platform/node/wasm-backend.ts';
import type { Backend } from '../../../src/runtime/backend.ts';
import type { Shape, Tensor } from '../../../src/runtime/tensor.ts';
import {
  DROPOUT_ATTRS, expectParity, randomValues, trainingChecks, type Conv1dCase, type Conv2dCase, type DenseCase, type ReduceCase,
} from '../../support/backend-parity.ts';

// The training reductions and passes split over the threads (src/backends/wasm/parts.ts): a reduction's parts are
// set by the shape alone and combined in part order, elementwise passes split rows, so 1, 2 and 3 threads give the
// same bits. Shapes span several parts (CHUNK_ROWS = 256 rows, or a sample) and several thread ranges, with channel
// counts off the vector width; outputs poisoned, so a range a thread forgot shows as NaN. Parity with the reference
// runs on 3 threads.

type Run = (k: Backend, input: (shape: Shape, seed: number, lo?: number, hi?: number) => Tensor) => Record<string, Tensor>;

interface Case {
  readonly name: string;
  readonly run: Run;
}

const bn = (shape: Shape): Case => ({
  name: `batchNorm x ${JSON.stringify(shape)}: forwardTrain (± tail), backward`,
  run: (k, input) => {
    const chans = [shape[shape.length - 1]!];
    const [x, gamma, beta, dy] = [input(shape, 1, -1, 3), input(chans, 2, 0.5, 1.5), input(chans, 3), input(shape, 4)];
    const f = k.batchNorm.forwardTrain(x, gamma, beta, { eps: 1e-3 });
    const tail = k.batchNorm.forwardTrain(x, gamma, beta, { eps: 1e-3 }, DROPOUT_ATTRS[0]);
    const b = k.batchNorm.backward(dy, x, gamma, f.mean, f.variance, { eps: 1e-3 });
    return { y: f.y, mean: f.mean, variance: f.variance, tailY: tail.y, dx: b.dx, dgamma: b.dgamma, dbeta: b.dbeta };
  },
});

const conv2d = ({ x: xShape, chans, kernel }: Conv2dCase): Case => ({
  name: `conv2d x ${JSON.stringify(xShape)} C=${chans} ${kernel.kh}x${kernel.kw}: backwardInput, backwardWeight`,
  run: (k, input) => {
    const [x, w, dy] = [input(xShape, 1), input([chans, 1, kernel.kh, kernel.kw], 2), input([...xShape, chans], 3)];
    return { dx: k.conv2d.backwardInput(dy, w, kernel), dw: k.conv2d.backwardWeight(dy, x, kernel) };
  },
});

const conv1d = ({ batch, time, cin, cout, attrs }: Conv1dCase): Case => ({
  name: `conv1dCausal B=${batch} T=${time} Cin=${cin} Cout=${cout} K=${attrs.taps} d=${attrs.dilation}: backwardWeight`,
  run: (k, input) => ({ dw: k.conv1dCausal.backwardWeight(input([batch, time, cout], 1), input([batch, time, cin], 2), attrs) }),
});

const dense = ({ x: xShape, w: wShape }: DenseCase): Case => ({
  name: `dense x ${JSON.stringify(xShape)} w ${JSON.stringify(wShape)}: backwardWeight, per-sample forward and backward`,
  run: (k, input) => {
    const [batch, cin] = [xShape[0]!, xShape[xShape.length - 1]!];
    const [x, dy, ws, dys] = [input(xShape, 1), input([...xShape.slice(0, -1), wShape[0]!], 2), input([batch, cin], 3), input([...xShape.slice(0, -1), 1], 4)];
    return {
      dw: k.dense.backwardWeight(dy, x),
      dxPerSample: k.dense.backwardInputPerSample(dys, ws),
      dwPerSample: k.dense.backwardWeightPerSample(dys, x, ws),
      yPerSample: k.dense.forwardPerSample(x, ws, input([1], 5)),
    };
  },
});

const reduce = ({ shape, attrs }: Omit<ReduceCase, 'tolerance'>): Case => ({
  name: `reduceSum x ${JSON.stringify(shape)} axis ${attrs.axis} count ${attrs.count}: forward, backward with addend`,
  run: (k, input) => {
    const x = input(shape, 1);
    const y = k.reduceSum.forward(x, attrs);
    return { y, dx: k.reduceSum.backward(input(y.shape, 2), x, attrs, input(shape, 3)) };
  },
});

const elementwise = (shape: Shape): Case => ({
  name: `x ${JSON.stringify(shape)}: mul.backwardB (broadcast), spatialDropout, relu and sigmoid backward`,
  run: (k, input) => {
    const [x, dy, gate] = [input(shape, 1), input(shape, 2), input([shape[0]!, shape[shape.length - 1]!], 3)];
    const y = k.spatialDropout.reluForward(x, DROPOUT_ATTRS[0]!);
    return {
      db: k.mul.backwardB(dy, x, gate),
      dropped: k.spatialDropout.forward(x, DROPOUT_ATTRS[2]!),
      reluY: y,
      dropoutDx: k.spatialDropout.reluBackward(dy, y, DROPOUT_ATTRS[0]!),
      reluDx: k.relu.backward(dy, x),
      sigmoidDx: k.sigmoid.backward(dy, k.sigmoid.forward(x)),
    };
  },
});

const BN_SHAPES: readonly Shape[] = [[3, 301, 7], [2, 37, 39, 39], [4, 1100, 13], [5, 130, 1], [1, 1, 3, 65]];
const CONV2D: readonly Conv2dCase[] = [
  { x: [5, 13, 7], chans: 6, kernel: { kh: 3, kw: 3 } },
  { x: [3, 10, 9], chans: 39, kernel: { kh: 11, kw: 1 } },
  { x: [4, 6, 5], chans: 5, kernel: { kh: 1, kw: 9 } },
];
const CONV1D: readonly Conv1dCase[] = [
  { batch: 3, time: 37, cin: 5, cout: 6, attrs: { taps: 3, dilation: 2 } },
  { batch: 4, time: 100, cin: 39, cout: 39, attrs: { taps: 2, dilation: 128 } },
  { batch: 5, time: 20, cin: 7, cout: 3, attrs: { taps: 2, dilation: 4 } },
];
const DENSE: readonly DenseCase[] = [
  { x: [3, 300, 7], w: [5, 7] },
  { x: [2, 301, 39], w: [39, 39] },
  { x: [5, 40, 3], w: [13, 3] },
];
const REDUCE: readonly Omit<ReduceCase, 'tolerance'>[] = [
  { shape: [5, 301, 7], attrs: { axis: 1, count: 1, scale: 1 / 301 } },
  { shape: [3, 90, 39, 39], attrs: { axis: 1, count: 2, scale: 1 } },
  { shape: [4, 900, 13], attrs: { axis: 0, count: 2, scale: 1 } },
];
const ELEMENTWISE: readonly Shape[] = [[5, 188, 39], [3, 7001, 5], [2, 3, 7]];

const CASES: readonly Case[] = [
  ...BN_SHAPES.map(bn), ...CONV2D.map(conv2d), ...CONV1D.map(conv1d), ...DENSE.map(dense), ...REDUCE.map(reduce), ...ELEMENTWISE.map(elementwise),
];

/** Each output's f32 bits (a NaN's too), after one run of `c` on `k`. */
async function bits(k: Backend, c: Case): Promise<Record<string, Uint32Array>> {
  try {
    const input = (shape: Shape, seed: number, lo = -1, hi = 1) => k.upload(randomValues(shape, seed, lo, hi), shape, `in${seed}`, { transient: true });
    const out: Record<string, Uint32Array> = {};
    for (const [name, t] of Object.entries(c.run(k, input))) out[name] = new Uint32Array((await k.read(t)).buffer);
    return out;
  } finally {
    k.releaseTransients();
  }
}

describe('training reductions and passes on 1, 2 and 3 threads, outputs poisoned', () => {
  const backends: (Backend & WasmBackendExtras)[] = [];
  beforeAll(async () => {
    for (const threads of [1, 2, 3]) backends.push(await openWasmBackend({ poisonOutputs: true, threads }));
  });
  afterAll(() => {
    for (const k of backends) k.close();
  });

  test('the backends run on 1, 2 and 3 threads', () => expect(backends.map((k) => k.threadCount)).toEqual([1, 2, 3]));

  test.each(CASES)('$name: the same bits at any thread count', async (c) => {
    const [one, ...more] = await Promise.all(backends.map((k) => bits(k, c)));
    for (const name of Object.keys(one!)) expect(one![name]!.every((b) => (b & 0x7f800000) !== 0x7f800000 || (b & 0x7fffff) === 0), `${name} holds no NaN`).toBe(true);
    for (const got of more) expect(got).toEqual(one);
  });

  test.each(BN_SHAPES)('batchNorm x %j on 3 threads against the reference', async (...shape) => expectParity(await trainingChecks.batchNorm(backends[2]!, shape)));
  test.each(CONV2D)('conv2d x $x C=$chans on 3 threads against the reference', async (c) => expectParity(await trainingChecks.conv2d(backends[2]!, c)));
  test.each(CONV1D)('conv1dCausal B=$batch T=$time Cin=$cin Cout=$cout on 3 threads against the reference', async (c) =>
    expectParity(await trainingChecks.conv1dCausal(backends[2]!, c)),
  );
  test.each(DENSE)('dense x $x w $w on 3 threads against the reference', async (c) => {
    expectParity(await trainingChecks.dense(backends[2]!, c));
    expectParity(await trainingChecks.densePerSample(backends[2]!, c.x));
  });
  test.each(REDUCE)('reduceSum x $shape on 3 threads against the reference', async (c) => {
    expectParity(await trainingChecks.reduceSum(backends[2]!, { ...c, tolerance: 1e-4 }, true));
  });
  test.each(ELEMENTWISE)('x %j on 3 threads against the reference: mul, spatialDropout, relu, sigmoid', async (...shape) => {
    const k = backends[2]!;
    expectParity(await trainingChecks.mul(k, { a: shape, broadcast: true }));
    expectParity(await trainingChecks.spatialDropout(k, shape, DROPOUT_ATTRS[0]!));
    expectParity(await trainingChecks.relu(k, shape));
    expectParity(await trainingChecks.sigmoid(k, shape));
  });
});
