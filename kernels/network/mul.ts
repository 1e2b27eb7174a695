// mul.ts: elementwise product, same shapes or a (B, C) gate broadcast over the middle axes (the reference's
// mul.forward; shaders/mul.wgsl).
//   mulForward:          y[i] = a[i] · b[i],  i < n
//   mulForwardBroadcast: y[s, m, c] = a[s, m, c] · g[s, c],  a seen as (B, M, C), g (B, C)
// Reads a (n or B·M·C f32), b / g; writes y (a's size). Same shapes: f32x4 over the flat arrays, a scalar tail.
// Broadcast: each row of C channels times the sample's gate row, f32x4 with a masked tail (the gate row of C
// floats is read as whole vectors; SLACK covers the last), stored lane by lane past C.

import { at, LANES, storeLanes } from './simd';

export function mulForward(a: usize, b: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + LANES <= n; i += LANES) v128.store(at(y, i), f32x4.mul(v128.load(at(a, i)), v128.load(at(b, i))));
  for (; i < n; i++) store<f32>(at(y, i), load<f32>(at(a, i)) * load<f32>(at(b, i)));
}

export function mulForwardBroadcast(a: usize, g: usize, y: usize, batch: i32, mid: i32, chans: i32): void {
  const whole = chans & ~(LANES - 1);
  const tail = chans - whole;
  for (let s = 0; s < batch; s++) {
    const gate = at(g, s * chans);
    for (let m = 0; m < mid; m++) {
      const row = (s * mid + m) * chans;
      let c = 0;
      for (; c < whole; c += LANES) v128.store(at(y, row + c), f32x4.mul(v128.load(at(a, row + c)), v128.load(at(gate, c))));
      if (tail > 0) {
        const v = f32x4.mul(v128.load(at(a, row + c)), v128.load(at(gate, c)));
        storeLanes(at(y, row + c), v, tail);
      }
    }
  }
}

// mulBackwardBBroadcast (the reference's mul.backwardB for the (B, C) gate; same shapes is mulForward(dy, a)):
//   db[s, c] = Σ_{m < M} dy[s, m, c] · a[s, m, c]
// Reads dy, a (B·M·C f32); writes db (B, C); scratch: mulBackwardScratchBytes(C) = C f64 sums. Per sample, rows
// m in order, each product exact in f64 and summed in f64 (M is T·F, thousands of terms), then rounded once.
export function mulBackwardScratchBytes(chans: i32): i32 {
  return chans * 8;
}

export function mulBackwardBBroadcast(dy: usize, a: usize, db: usize, scratch: usize, batch: i32, mid: i32, chans: i32): void {
  for (let s = 0; s < batch; s++) {
    memory.fill(scratch, 0, <usize>chans << 3);
    for (let m = 0; m < mid; m++) {
      const row = (s * mid + m) * chans;
      for (let c = 0; c < chans; c++) {
        const p = scratch + (<usize>c << 3);
        store<f64>(p, load<f64>(p) + <f64>load<f32>(at(dy, row + c)) * <f64>load<f32>(at(a, row + c)));
      }
    }
    for (let c = 0; c < chans; c++) store<f32>(at(db, s * chans + c), <f32>load<f64>(scratch + (<usize>c << 3)));
  }
}
