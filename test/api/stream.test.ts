import { describe, expect, test } from 'vitest';
import { createStream } from '../../src/api/stream.ts';
import type { WindowResult } from '../../src/api/types.ts';

/** Runs a stream at 10 Hz whose classify reports each window's first and last sample as its "label". */
async function windows(chunks: number[][], windowSeconds: number, hopSeconds: number): Promise<[number, number, string][]> {
  const results: WindowResult[] = [];
  const classify = async (samples: Float32Array) => ({ label: `${samples[0]}-${samples[samples.length - 1]}`, probs: {} });
  const stream = createStream({ sampleRateHz: 10, windowSeconds, hopSeconds, onResult: (r) => results.push(r) }, 99, classify);
  for (const chunk of chunks) await stream.push(Float32Array.from(chunk));
  await stream.end();
  return results.map((r) => [r.startSeconds, r.endSeconds, r.label]);
}

const ramp = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('stream windowing', () => {
  test('an input shorter than a window gives one result over all of it, at end()', async () => {
    expect(await windows([ramp(0, 7)], 1, 0.5)).toEqual([[0, 0.7, '0-6']]);
  });
  test('once a window is full, one result per hop boundary, then the last window at end()', async () => {
    // window 10 samples, hop 4: boundaries with a whole window before them are 12, 16; end at 19.
    expect(await windows([ramp(0, 19)], 1, 0.4)).toEqual([
      [0.2, 1.2, '2-11'],
      [0.6, 1.6, '6-15'],
      [0.9, 1.9, '9-18'],
    ]);
  });
  test('chunk boundaries do not change the results', async () => {
    const whole = await windows([ramp(0, 23)], 1, 0.4);
    expect(await windows([ramp(0, 3), ramp(3, 11), ramp(11, 12), ramp(12, 23)], 1, 0.4)).toEqual(whole);
  });
  test('an input ending on a hop boundary gets no duplicate last window', async () => {
    expect(await windows([ramp(0, 16)], 1, 0.4)).toEqual([
      [0.2, 1.2, '2-11'],
      [0.6, 1.6, '6-15'],
    ]);
  });
  test('bad settings and a push after end() are one clear error', async () => {
    const classify = async () => ({ label: 'a', probs: {} });
    expect(() => createStream({ sampleRateHz: 10, hopSeconds: 0, onResult: () => undefined }, 1, classify)).toThrowError(
      'stream: hopSeconds is 0; expected a positive number of seconds',
    );
    expect(() => createStream({ sampleRateHz: 44.1, onResult: () => undefined }, 1, classify)).toThrowError(
      'sample rate 44.1 Hz; expected a positive integer of at most 1000000 Hz',
    );
    const stream = createStream({ sampleRateHz: 10, onResult: () => undefined }, 1, classify);
    await stream.end();
    await expect(stream.push(new Float32Array(3))).rejects.toThrowError('stream: push after end()');
  });
});
