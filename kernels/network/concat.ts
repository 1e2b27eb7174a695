// concat.ts: concatenation along one axis (the reference's concat.forward; shaders/concat.wgsl), one part per call.
//   y[o, offset + w, i] = part[o, w, i],  part seen as (outer, width, inner), y as (outer, total, inner)
// Reads part (outer·width·inner f32); writes its columns [offset, offset + width) of y. The host calls it once per
// part with the running offset, so together the calls write y whole. Each (o) run of width·inner f32 is
// contiguous on both sides: one memory.copy per run.

import { at } from './simd';

export function concatPart(part: usize, y: usize, outer: i32, width: i32, inner: i32, total: i32, offset: i32): void {
  const run = width * inner;
  for (let o = 0; o < outer; o++) memory.copy(at(y, (o * total + offset) * inner), at(part, o * run), <usize>run << 2);
}

// concatSlice (the reference's concat.slice, concat's backward):
//   y[o, w, i] = x[o, start + w, i],  x seen as (outer, size, inner), y as (outer, width, inner)
// Reads x; writes y whole. One memory.copy per (o) run of width·inner f32.
export function concatSlice(x: usize, y: usize, outer: i32, size: i32, inner: i32, start: i32, width: i32): void {
  const run = width * inner;
  for (let o = 0; o < outer; o++) memory.copy(at(y, o * run), at(x, (o * size + start) * inner), <usize>run << 2);
}
