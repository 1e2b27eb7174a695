// random.ts: src/runtime/random.ts's counter hash in u32 arithmetic (wraps, as Math.imul and >>> there), so a
// dropout mask drawn here equals the reference's and the WGSL's bit for bit. No memory.
//   lowbias32(x): x ^= x >> 16; x *= 0x7feb352d; x ^= x >> 15; x *= 0x846ca68b; x ^= x >> 16
//   counterHash(seed, stream, step, i, j) = lowbias32(… lowbias32(lowbias32(seed) ^ stream) … ^ j)

@inline export function lowbias32(value: u32): u32 {
  let x = value;
  x ^= x >> 16;
  x *= 0x7feb352d;
  x ^= x >> 15;
  x *= 0x846ca68b;
  return x ^ (x >> 16);
}

export function counterHash(seed: u32, stream: u32, step: u32, i: u32, j: u32): u32 {
  let h = lowbias32(seed);
  h = lowbias32(h ^ stream);
  h = lowbias32(h ^ step);
  h = lowbias32(h ^ i);
  return lowbias32(h ^ j);
}
