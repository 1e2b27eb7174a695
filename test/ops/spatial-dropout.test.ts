import { describe, expect, test } from 'vitest';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { mul } from '../../src/ops/mul.ts';
import { scaledSum } from '../../src/ops/reduce-sum.ts';
import { relu } from '../../src/ops/relu.ts';
import { reshape } from '../../src/ops/reshape.ts';
import { reluDropout, spatialDropout, type DropoutSite } from '../../src/ops/spatial-dropout.ts';
import { counterHash, lowbias32 } from '../../src/runtime/random.ts';
import { Tape } from '../../src/runtime/tape.ts';
import { OP_GRADIENTS } from '../../src/ops/gradients.ts';
import type { Tensor } from '../../src/runtime/tensor.ts';
import { awayFromZero, gradCheck } from './gradcheck.ts';

const site: DropoutSite = { rate: 0.5, seed: 46, stream: 3, step: 7 };

async function dropped(shape: number[], s: DropoutSite): Promise<Float32Array | Float64Array> {
  return k.read(spatialDropout(new Tape(k, OP_GRADIENTS), k.upload(new Float64Array(shape.reduce((a, b) => a * b)).fill(1), shape), s));
}

describe('spatial-dropout', () => {
  test.each([[[2, 3, 4]], [[1, 2, 3, 5]], [[3, 1]]])('gradients by finite differences (same mask), shape %j', async (shape) => {
    await gradCheck((t, [x]) => spatialDropout(t, x!, site), [{ shape }]);
  });
  test('one decision per (sample, channel), shared by every time step and frequency; kept values scaled 1/(1 − rate)', async () => {
    const y = await dropped([4, 5, 3, 6], { ...site, rate: 0.2 });
    for (let b = 0; b < 4; b++) {
      for (let c = 0; c < 6; c++) {
        const values = new Set(Array.from({ length: 15 }, (_, m) => y[(b * 15 + m) * 6 + c]));
        expect([...values].length).toBe(1);
        expect([0, 1.25]).toContain([...values][0]);
      }
    }
  });
  test('keep rate is 1 − rate over many (sample, channel) pairs', async () => {
    for (const rate of [0.1, 0.2, 0.5]) {
      const y = await dropped([128, 1, 128], { ...site, rate });
      const kept = y.filter((v) => v !== 0).length / y.length;
      expect(Math.abs(kept - (1 - rate))).toBeLessThan(0.015);
    }
  });
  test('deterministic in (seed, stream, step); a different step, stream or seed draws another mask', async () => {
    const shape = [8, 2, 8];
    const base = await dropped(shape, site);
    expect(await dropped(shape, site)).toEqual(base);
    for (const change of [{ step: 8 }, { stream: 4 }, { seed: 47 }]) expect(await dropped(shape, { ...site, ...change })).not.toEqual(base);
  });
  // Values computed independently (Python, u32 arithmetic), so a WGSL port can be pinned to the same numbers.
  test('the hash is lowbias32 chained over the counters (pinned values)', () => {
    expect(lowbias32(0)).toBe(0);
    expect([lowbias32(1), lowbias32(0xffffffff), counterHash(46, 3, 7, 1, 2)]).toEqual([PINNED.one, PINNED.max, PINNED.counters]);
  });
  test.each([[[2, 3, 4]], [[1, 2, 3, 5]]])('relu-dropout: gradients by finite differences, shape %j', async (shape) => {
    const values = awayFromZero(shape.reduce((a, b) => a * b), 5);
    await gradCheck((t, [x]) => reluDropout(t, x!, site), [{ shape, values }]);
  });
  test('relu-dropout equals spatial-dropout of relu, values and gradients; rate 0 is relu alone', async () => {
    const shape = [3, 4, 6];
    const values = awayFromZero(72, 9);
    // y and the gradient of Σ y · r (r fixed) with respect to x.
    const run = async (f: (t: Tape, x: Tensor) => Tensor): Promise<(Float64Array | Float32Array)[]> => {
      const t = new Tape(k, OP_GRADIENTS);
      const x = k.upload(values, shape);
      x.requiresGrad = true;
      const y = f(t, x);
      const weighted = reshape(t, mul(t, y, k.upload(awayFromZero(72, 10), shape)), [1, 72]);
      const grads = t.backward(scaledSum(t, weighted, 1, 1, 1));
      return [await k.read(y), await k.read(grads.get(x)!)];
    };
    const fused = await run((t, x) => reluDropout(t, x, site));
    expect(fused[0]!.some((v) => v === 0) && fused[0]!.some((v) => v > 0)).toBe(true);
    expect(fused).toEqual(await run((t, x) => spatialDropout(t, relu(t, x), site)));
    expect(await run((t, x) => reluDropout(t, x, { ...site, rate: 0 }))).toEqual(await run((t, x) => relu(t, x)));
  });
  test('rate 0 returns the input itself; rate 1 is rejected', () => {
    const x = k.upload([1, 2], [1, 2]);
    expect(spatialDropout(new Tape(k, OP_GRADIENTS), x, { ...site, rate: 0 })).toBe(x);
    expect(() => spatialDropout(new Tape(k, OP_GRADIENTS), x, { ...site, rate: 1 })).toThrowError('spatial-dropout: rate must be in [0, 1), got 1');
  });
});

const PINNED = { one: 1753845952, max: 1734902346, counters: 2312536574 };
