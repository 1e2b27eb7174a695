/**
 * mulberry32: a small seeded PRNG for tests (generated inputs, fuzz mutations), so any failure is reproducible
 * from its seed. Uniform in [0, 1) with 32 bits of resolution. Never Math.random.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
