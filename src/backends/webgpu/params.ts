import { invariant } from '../../errors.ts';

/** The scalar types a WGSL `struct Params` may hold: each 4 bytes, so field i sits at byte offset 4·i. */
export type ParamsFieldType = 'u32' | 'i32' | 'f32';

/** A kernel's `struct Params`, field for field in WGSL order (test/backends/webgpu/params.test.ts compares). */
export type ParamsFields = readonly (readonly [name: string, type: ParamsFieldType])[];

/** One number per field, by name. */
export type ParamsValues<F extends ParamsFields> = { readonly [K in F[number][0]]: number };

/** Uniform buffer sizes are kept to multiples of 16 bytes, the uniform address space's struct alignment. */
const UNIFORM_ALIGN_WORDS = 4;

/**
 * Packs values into the bytes of a WGSL `struct Params` uniform: word i holds field i as u32, i32 or f32
 * (little-endian, as WebGPU uploads it), zero-padded to 16 bytes. A value the type cannot hold is a bug in the
 * caller, not rounded: an InternalError naming the field.
 */
export function packParams<F extends ParamsFields>(fields: F, values: ParamsValues<F>): Uint32Array {
  const words = new Uint32Array(Math.ceil(fields.length / UNIFORM_ALIGN_WORDS) * UNIFORM_ALIGN_WORDS);
  const asI32 = new Int32Array(words.buffer);
  const asF32 = new Float32Array(words.buffer);
  fields.forEach(([name, type], i) => {
    const value = (values as Record<string, number | undefined>)[name];
    invariant(value !== undefined, `Params.${name}: missing value`);
    if (type === 'f32') {
      asF32[i] = value;
      return;
    }
    const [min, max] = type === 'u32' ? [0, 2 ** 32 - 1] : [-(2 ** 31), 2 ** 31 - 1];
    invariant(Number.isInteger(value) && value >= min && value <= max, `Params.${name}: expected a ${type}, got ${value}`);
    if (type === 'u32') words[i] = value;
    else asI32[i] = value;
  });
  return words;
}
