// reverse-time.ts: time reversal, the bwd branch's input (the reference's reverseTime.forward;
// shaders/reverse-time.wgsl).
//   y[b, t, j] = x[b, T − 1 − t, j],  x and y seen as (B, T, R), R = the product of the axes after time
// Reads x; writes y. One memory.copy per (b, t) row of R f32.

import { at } from './simd';

export function reverseTimeForward(x: usize, y: usize, batch: i32, time: i32, row: i32): void {
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      memory.copy(at(y, (b * time + t) * row), at(x, (b * time + time - 1 - t) * row), <usize>row << 2);
    }
  }
}
