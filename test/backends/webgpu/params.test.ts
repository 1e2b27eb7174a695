import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { InternalError } from '../../../src/errors.ts';
import { packParams, type ParamsFields } from '../../../src/backends/webgpu/params.ts';
import { repoRoot } from '../../support/paths.ts';

/**
 * The field list of `struct Params` in a WGSL file, as written. Only u32/i32/f32 fields are allowed (4 bytes
 * each, so packParams can put field i at byte 4·i); anything else is an error naming the file.
 */
function parseParamsStruct(wgsl: string, file: string): ParamsFields {
  const body = /struct\s+Params\s*\{([^}]*)\}/.exec(wgsl.replace(/\/\/[^\n]*/g, ''))?.[1];
  if (body === undefined) throw new Error(`${file}: no struct Params`);
  return body
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field !== '')
    .map((field) => {
      const match = /^(\w+)\s*:\s*(\w+)$/.exec(field);
      if (match === null || !['u32', 'i32', 'f32'].includes(match[2]!)) {
        throw new Error(`${file}: Params field '${field}' is not a u32, i32 or f32`);
      }
      return [match[1]!, match[2] as 'u32' | 'i32' | 'f32'] as const;
    });
}

const shaderFiles = readdirSync(join(repoRoot, 'shaders')).filter((f) => f.endsWith('.wgsl')).sort();

describe('every shaders/*.wgsl against its TS wrapper', () => {
  test('shaders/ holds at least relu.wgsl', () => {
    expect(shaderFiles).toContain('relu.wgsl');
  });

  test.each(shaderFiles)('%s: Params at binding 0, `override WG`, fields equal to the wrapper export `params`', async (file) => {
    const wgsl = readFileSync(join(repoRoot, 'shaders', file), 'utf8');
    expect(wgsl).toMatch(/@group\(0\) @binding\(0\) var<uniform> p: Params;/);
    expect(wgsl).toMatch(/override WG: u32/);
    // Convention: shaders/<family>.wgsl is run by src/backends/webgpu/<family>.ts, which exports `params`.
    const wrapper = (await import(`../../../src/backends/webgpu/${file.replace(/\.wgsl$/, '.ts')}`)) as { params?: ParamsFields };
    expect(wrapper.params, `src/backends/webgpu/${file.replace(/\.wgsl$/, '.ts')} exports params`).toBeDefined();
    expect(wrapper.params).toEqual(parseParamsStruct(wgsl, file));
  });
});

describe('packParams', () => {
  const fields = [
    ['count', 'u32'],
    ['offset', 'i32'],
    ['scale', 'f32'],
    ['big', 'u32'],
    ['last', 'f32'],
  ] as const;

  test('field i lands at byte 4·i as its WGSL type, zero-padded to a multiple of 16 bytes', () => {
    const words = packParams(fields, { count: 7, offset: -3, scale: 0.1, big: 2 ** 32 - 1, last: -2.5 });
    const view = new DataView(words.buffer);
    expect(words.byteLength).toBe(32);
    expect(view.getUint32(0, true)).toBe(7);
    expect(view.getInt32(4, true)).toBe(-3);
    expect(view.getFloat32(8, true)).toBe(Math.fround(0.1));
    expect(view.getUint32(12, true)).toBe(2 ** 32 - 1);
    expect(view.getFloat32(16, true)).toBe(-2.5);
    expect([...words.subarray(5)]).toEqual([0, 0, 0]);
  });

  test('one field still packs to 16 bytes', () => {
    expect([...packParams([['total', 'u32']] as const, { total: 5 })]).toEqual([5, 0, 0, 0]);
  });

  test.each([
    [{ count: -1, offset: 0, scale: 0, big: 0, last: 0 }, 'Params.count: expected a u32, got -1'],
    [{ count: 0, offset: 2 ** 31, scale: 0, big: 0, last: 0 }, 'Params.offset: expected a i32, got 2147483648'],
    [{ count: 0, offset: 0, scale: 0, big: 2 ** 32, last: 0 }, 'Params.big: expected a u32, got 4294967296'],
    [{ count: 1.5, offset: 0, scale: 0, big: 0, last: 0 }, 'Params.count: expected a u32, got 1.5'],
    [{ count: 0, offset: 0, scale: 0, big: 0 }, 'Params.last: missing value'],
  ])('%o is refused: %s', (values, message) => {
    expect(() => packParams(fields, values as never)).toThrowError(new InternalError(message));
  });
});
