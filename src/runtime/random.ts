/**
 * Counter-based random numbers: every draw is a pure function of integer counters, so a WGSL kernel reproduces
 * it bit for bit (u32 arithmetic wraps in both: `Math.imul` here, `*` on u32 there) and no generator state
 * has to be carried between dispatches. No Math.random anywhere in msse.
 */

/**
 * lowbias32, the 32-bit integer hash from Chris Wellons' hash-prospector (`x ^= x >> 16; x *= 0x7feb352d;
 * x ^= x >> 15; x *= 0x846ca68b; x ^= x >> 16`). WGSL: the same five lines on u32.
 */
export function lowbias32(value: number): number {
  let x = value >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Hash of five u32 counters, chained: h = lowbias32(seed), then h = lowbias32(h ^ c) for stream, step, i, j.
 * Spatial dropout uses (seed, layer stream, training step, sample, channel); parameter init uses
 * (seed, parameter index, 0, 0, element index).
 */
export function counterHash(seed: number, stream: number, step: number, i: number, j: number): number {
  let h = lowbias32(seed);
  h = lowbias32(h ^ stream);
  h = lowbias32(h ^ step);
  h = lowbias32(h ^ i);
  return lowbias32(h ^ j);
}

/** A uniform draw in [0, 1) from the same counters (32 bits of resolution, plenty for float32 weights). */
export function counterUniform(seed: number, stream: number, step: number, i: number, j: number): number {
  return counterHash(seed, stream, step, i, j) / 2 ** 32;
}
