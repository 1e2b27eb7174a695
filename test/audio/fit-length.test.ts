// TIM-Net's length rule: zeros split with the odd one after; crops keep the centre, dropping the odd one at the end.
import { describe, expect, test } from 'vitest';
import { fitLength } from '../../src/audio/fit-length.ts';

describe('fitLength', () => {
  test.each([
    ['pads 3 to 6: 1 zero before, 2 after', [1, 2, 3], 6, [0, 1, 2, 3, 0, 0]],
    ['pads 3 to 7: 2 before, 2 after', [1, 2, 3], 7, [0, 0, 1, 2, 3, 0, 0]],
    ['crops 5 to 2: starts at floor(3 / 2) = 1', [1, 2, 3, 4, 5], 2, [2, 3]],
    ['crops 6 to 3: starts at floor(3 / 2) = 1, drops the odd sample at the end', [1, 2, 3, 4, 5, 6], 3, [2, 3, 4]],
    ['keeps an exact length', [1, 2, 3], 3, [1, 2, 3]],
  ])('%s', (_name, input, lengthSamples, expected) => {
    expect(Array.from(fitLength(Float64Array.from(input), lengthSamples))).toEqual(expected);
  });

  test('EMO-DB: 44100 samples to 96000 gives 25950 zeros on each side', () => {
    const out = fitLength(new Float32Array(44100).fill(1), 96000);
    expect(out).toBeInstanceOf(Float32Array);
    expect(out.indexOf(1)).toBe(25950);
    expect(out.lastIndexOf(1)).toBe(96000 - 25950 - 1);
  });

  test('returns a copy of the same type, never the input', () => {
    const input = new Float64Array([1, 2]);
    const out = fitLength(input, 2);
    expect(out).toBeInstanceOf(Float64Array);
    out[0] = 9;
    expect(input[0]).toBe(1);
  });

  test.each([0, -1, 2.5])('rejects length %s', (lengthSamples) => {
    expect(() => fitLength(new Float32Array(4), lengthSamples)).toThrowError(
      new RangeError(`fitLength: length ${lengthSamples} samples; expected a positive integer`),
    );
  });
});
