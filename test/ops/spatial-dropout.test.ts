import { describe, expect, test } from 'vitest';
import { referenceBackend as k } from '../../src/backends/reference/index.ts';
import { spatialDropout, type DropoutSite } from '../../src/ops/spatial-dropout.ts';
import { counterHash, lowbias32 } from '../../src/runtime/random.ts';
import { Tape } from '../../src/runtime/tape.ts';
import { gradCheck } from './gradcheck.ts';

const site: DropoutSite = { rate: 0.5, seed: 46, stream: 3, step: 7 };

async function dropped(shape: number[], s: DropoutSite): Promise<Float32Array | Float64Array> {
  return k.read(spatialDropout(new Tape(k, false), k.upload(new Float64Array(shape.reduce((a, b) => a * b)).fill(1), shape), s));
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
  test('rate 0 returns the input itself; rate 1 is rejected', () => {
    const x = k.upload([1, 2], [1, 2]);
    expect(spatialDropout(new Tape(k), x, { ...site, rate: 0 })).toBe(x);
    expect(() => spatialDropout(new Tape(k), x, { ...site, rate: 1 })).toThrowError('spatial-dropout: rate must be in [0, 1), got 1');
  });
});

const PINNED = { one: 1753845952, max: 1734902346, counters: 2312536574 };
