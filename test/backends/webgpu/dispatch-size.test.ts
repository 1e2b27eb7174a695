import { describe, expect, test } from 'vitest';
import { InternalError } from '../../../src/errors.ts';
import { dispatchSize } from '../../../src/backends/webgpu/dispatch-size.ts';

describe('dispatchSize', () => {
  test.each([
    [0, [0, 1]],
    [1, [1, 1]],
    [64, [1, 1]],
    [65, [2, 1]],
    [65_535 * 64, [65_535, 1]],
    [65_535 * 64 + 1, [32_768, 2]],
    [3 * 65_535 * 64, [65_535, 3]],
    [3 * 65_535 * 64 + 1, [49_152, 4]],
  ] as const)('total=%i -> %o', (total, expected) => {
    expect(dispatchSize(total, 64)).toEqual(expected);
  });

  test.each([1, 63, 65, 1_000_003, 4_194_241, 123_456_789, 2 ** 32 - 1])(
    'total=%i: covered, x within the limit, fewer than y spare workgroups',
    (total) => {
      const [x, y] = dispatchSize(total, 64);
      expect(x).toBeLessThanOrEqual(65_535);
      expect(x * y * 64).toBeGreaterThanOrEqual(total);
      expect(x * y - Math.ceil(total / 64)).toBeLessThan(y);
    },
  );

  test('a per-dimension limit from the device is honoured', () => {
    expect(dispatchSize(300, 10, 7)).toEqual([6, 5]);
  });

  test('more than limit² workgroups is a bug', () => {
    expect(() => dispatchSize(50, 1, 7)).toThrowError(
      new InternalError('dispatchSize: 50 invocations need more than 7² workgroups'),
    );
  });
});
