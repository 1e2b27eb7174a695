// reduce-sum.ts: scaled sum over a run of axes (the reference's reduceSum.forward; shaders/reduce-sum.wgsl):
// the SE squeeze (mean over T and F of each TF path) and the pooled mean over time of each TAB pair.
//   y[o, i] = scale · Σ_{m < mid} x[o, m, i],  x seen as (outer, mid, inner), y (outer, inner)
// reduceSumForward (the inference module's; also se-gate.ts's squeeze) reads x; writes y; scratch:
// reduceSumScratchBytes(inner) bytes (the block accumulators). The host splits the o over the threads.
// Work split (channel-walk.ts, C = inner): for each o the mid rows are summed block by block into a row of
// g·inner f32 accumulators, f32x4 over whole blocks (rows at a stride of g, in order); the rows after the last
// whole block add into the accumulators' first row with their last vector masked; then y[o, i] = scale ·
// Σ_r acc[r · inner + i]. The f32 additions run in a fixed order set by the shape alone.
// reduceSumParts (training: the bias gradients sum a whole batch, outer = 1): the same sum split over the threads
// (accumulate.ts): each o's mid rows cut into chunks of
// CHUNK_ROWS rows, part p = o·chunkCount(mid) + j the j-th chunk of o, summed as above (scale 1) into its row of
// inner partials for the parts [lo, hi); sumParts then adds each o's parts in order, times scale, into y. Scratch:
// reduceSumScratchBytes(inner) per range.

import { CHUNK_ROWS, chunkCount, partRow } from './accumulate';
import { blockRows } from './channel-walk';
import { at, LANES, laneMask, storeLanes } from './simd';

/** Scratch reduceSumForward needs: one accumulator row of g·inner f32. */
export function reduceSumScratchBytes(inner: i32): i32 {
  return blockRows(inner) * inner * 4;
}

export function reduceSumForward(x: usize, y: usize, scratch: usize, outer: i32, mid: i32, inner: i32, scale: f32): void {
  const g = blockRows(inner);
  const width = g * inner; // a multiple of 4
  const blocks = mid / g;
  const whole = inner & ~(LANES - 1);
  const tailMask = laneMask(inner - whole);
  const acc = scratch;
  for (let o = 0; o < outer; o++) {
    memory.fill(acc, 0, <usize>width << 2);
    let row = at(x, o * mid * inner);
    for (let b = 0; b < blocks; b++) {
      for (let v = 0; v < width; v += LANES) v128.store(at(acc, v), f32x4.add(v128.load(at(acc, v)), v128.load(at(row, v))));
      row += <usize>width << 2;
    }
    for (let m = blocks * g; m < mid; m++) {
      let c = 0;
      for (; c < whole; c += LANES) v128.store(at(acc, c), f32x4.add(v128.load(at(acc, c)), v128.load(at(row, c))));
      // Lanes past inner add 0 to the next accumulator row (g > 1 whenever inner is off the vector width).
      if (c < inner) v128.store(at(acc, c), f32x4.add(v128.load(at(acc, c)), v128.and(v128.load(at(row, c)), tailMask)));
      row += <usize>inner << 2;
    }
    const out = at(y, o * inner);
    const s = f32x4.splat(scale);
    for (let c = 0; c < inner; c += LANES) {
      let sum = v128.load(at(acc, c));
      for (let r = 1; r < g; r++) sum = f32x4.add(sum, v128.load(at(acc, r * inner + c)));
      storeLanes(at(out, c), f32x4.mul(sum, s), inner - c);
    }
  }
}

export function reduceSumParts(x: usize, partials: usize, scratch: usize, lo: i32, hi: i32, mid: i32, inner: i32): void {
  const chunks = chunkCount(mid);
  for (let p = lo; p < hi; p++) {
    const o = p / chunks;
    const m0 = (p - o * chunks) * CHUNK_ROWS;
    reduceSumForward(at(x, (o * mid + m0) * inner), partRow(partials, p, inner), scratch, 1, min(CHUNK_ROWS, mid - m0), inner, 1);
  }
}

// reduceSumBackward: the broadcast back, plus an optional addend in the same pass (the reference's
// reduceSum.backward):
//   dx[o, m, i] = scale · dy[o, i] (+ addend[o, m, i] when hasAddend ≠ 0),  dx seen as (outer, mid, inner)
// Reads dy (outer·inner), addend (dx's size, when given); writes rows [lo, hi) of dx's outer·mid rows (the host
// splits them over the threads). f32x4 over each row of inner, a scalar tail.
export function reduceSumBackward(dy: usize, addend: usize, dx: usize, lo: i32, hi: i32, mid: i32, inner: i32, scale: f32, hasAddend: i32): void {
  const s = f32x4.splat(scale);
  const whole = inner & ~(LANES - 1);
  for (let r = lo; r < hi; r++) {
    const src = at(dy, (r / mid) * inner);
    const row = r * inner;
    let c = 0;
    if (hasAddend != 0) {
      for (; c < whole; c += LANES) v128.store(at(dx, row + c), f32x4.add(f32x4.mul(v128.load(at(src, c)), s), v128.load(at(addend, row + c))));
      for (; c < inner; c++) store<f32>(at(dx, row + c), load<f32>(at(src, c)) * scale + load<f32>(at(addend, row + c)));
    } else {
      for (; c < whole; c += LANES) v128.store(at(dx, row + c), f32x4.mul(v128.load(at(src, c)), s));
      for (; c < inner; c++) store<f32>(at(dx, row + c), load<f32>(at(src, c)) * scale);
    }
  }
}
