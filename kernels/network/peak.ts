// peak.ts: this CPU's single-thread f32x4 peak for the kernels' arithmetic, a multiply then an add per lane
// (SIMD128 has no fused multiply-add), measured by the benchmarks against which the per-kernel GFLOP/s are read.
//   acc_j ← acc_j · m + c  for 12 independent accumulators, `iterations` times: 12 · 4 · 2 = 96 flops per
//   iteration, registers only (12 sums + 2 constants fit the 16 xmm registers with V8's scratch one).
// 12 chains cover a mul + add latency (about 6 cycles) at two vector multiplies and two adds per cycle.
// m < 1 and c > 0 keep the sums near c / (1 − m) = 1: no overflow, no subnormals. Returns a lane sum so the loop
// has a use. No memory.

import { lanesSum } from './simd';

export function simdPeak(iterations: i32): f32 {
  const m = f32x4.splat(0.999);
  const c = f32x4.splat(0.001);
  let a0 = f32x4.splat(0.5);
  let a1 = f32x4.splat(0.51), a2 = f32x4.splat(0.52), a3 = f32x4.splat(0.53);
  let a4 = f32x4.splat(0.54), a5 = f32x4.splat(0.55), a6 = f32x4.splat(0.56), a7 = f32x4.splat(0.57);
  let a8 = f32x4.splat(0.58), a9 = f32x4.splat(0.59), a10 = f32x4.splat(0.6), a11 = f32x4.splat(0.61);
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), c);
    a1 = f32x4.add(f32x4.mul(a1, m), c);
    a2 = f32x4.add(f32x4.mul(a2, m), c);
    a3 = f32x4.add(f32x4.mul(a3, m), c);
    a4 = f32x4.add(f32x4.mul(a4, m), c);
    a5 = f32x4.add(f32x4.mul(a5, m), c);
    a6 = f32x4.add(f32x4.mul(a6, m), c);
    a7 = f32x4.add(f32x4.mul(a7, m), c);
    a8 = f32x4.add(f32x4.mul(a8, m), c);
    a9 = f32x4.add(f32x4.mul(a9, m), c);
    a10 = f32x4.add(f32x4.mul(a10, m), c);
    a11 = f32x4.add(f32x4.mul(a11, m), c);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return lanesSum(f32x4.add(s, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))));
}

/** Flops simdPeak(iterations) performs. */
export const PEAK_FLOPS_PER_ITERATION: i32 = 96;
