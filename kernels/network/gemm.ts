// gemm.ts: the register-blocked product dense, conv1d-causal and conv2d share (a module of its own, as STYLE.md
// §9 asks of shared pieces). For output rows r with input pointers a_r and output pointers y_r:
//   y_r[j] = bias[j] + Σ_{tap < taps} Σ_{k < kin} a_r[tap · tapStride + k] · W[tap, k, j],  j < n
// where a_r[e] is the f32 at byte a_r + 4e (tapStride in f32 here, bytes in the code). Each family supplies the
// rows and the taps: dense: one tap of kin = In over a row of x; conv1d-causal: the valid taps of a time step,
// d·Cin apart, kin = Cin; conv2d: the kernel rows (or columns) of a padded image, kin along the longer one.
//
// Packed weights P (f32, ARENA scratch of packedBytes(n, kin, taps), written by pack): row 0 is the bias, rows
// 1 + tap·kin + k are W[tap, k, ·]; each row is npad = ⌈n/4⌉·4 wide and zero past n, so the output channels are
// whole f32x4 and a partial last vector needs no mask.
//
// Work split: rows in blocks of 4 × output columns in blocks of 8 (two f32x4): 8 accumulators in registers, and
// each step loads 2 weight vectors and 4 splatted inputs for 8 multiply-adds (mul + add: SIMD128 has no fused
// multiply-add). x86-64 has 16 xmm registers and V8 keeps one for scratch: the 8 sums, 2 weights and an input fit;
// 6 rows (12 sums) spill and ran 1.7x slower, and so did unrolling k by two (bench/RESULTS.md). A last column
// block of one vector (npad ≡ 4 mod 8) takes a 4 × 1 tile. Rows are visited by a cursor over up to three nested
// counts (rows of a segment, segments, groups), each wrap adding its own byte step; a last block of fewer than 4
// rows repeats its last row (same values stored twice). Sums run in (tap, k) order, bias first, the same for
// every row whatever block it falls in, so a row's result does not depend on the batch.
// Output stage (Output): Store writes y_r; Relu clamps each sum vector at 0 first (f32x4.pmax: one maxps, a NaN
// passes), so a conv + ReLU (BatchNorm folded) writes its result once. The bias row may be any f32 row of at least
// npad readable floats (the fused kernels pass their unpadded (2, …, n) biases: lanes past n feed lanes never
// stored). One tile4 chooses the stage after each column block's k loop: a tile4 per stage (AssemblyScript
// generics) ran Store and Relu 5-8% faster, V8 allocating the k loop's registers better, but cost 1 KB gzip of
// network.wasm, which the page's 40 KiB budget did not have.

import { at, LANES, storeLanes } from './simd';

/** npad: n rounded up to whole f32x4. */
@inline export function paddedWidth(n: i32): i32 {
  return (n + LANES - 1) & ~(LANES - 1);
}

/** Bytes of the packed weights (bias row and taps·kin weight rows, each npad f32). */
export function packedBytes(n: i32, kin: i32, taps: i32): i32 {
  return (1 + taps * kin) * paddedWidth(n) * 4;
}

/**
 * Fills P: P[0, j] = bias[j]; P[1 + tap·kin + k, j] = w[j·sN + k·sK + tap·sTap] for j < n; zero for n ≤ j < npad.
 * The element strides sN, sK, sTap say where the family's weight layout keeps output, input and tap.
 */
export function pack(w: usize, bias: usize, packed: usize, n: i32, kin: i32, taps: i32, sN: i32, sK: i32, sTap: i32): void {
  const npad = paddedWidth(n);
  for (let j = 0; j < npad; j++) store<f32>(at(packed, j), j < n ? load<f32>(at(bias, j)) : 0);
  for (let tap = 0; tap < taps; tap++) {
    for (let k = 0; k < kin; k++) {
      const row = at(packed, (1 + tap * kin + k) * npad);
      const src = tap * sTap + k * sK;
      for (let j = 0; j < n; j++) store<f32>(at(row, j), load<f32>(at(w, src + j * sN)));
      for (let j = n; j < npad; j++) store<f32>(at(row, j), 0);
    }
  }
}

@inline function madd(acc: v128, x: v128, w: v128): v128 {
  return f32x4.add(acc, f32x4.mul(x, w));
}

/** What a block's sums become (see the header). */
export enum Output {
  Store,
  Relu,
}

@inline function relu(v: v128): v128 {
  return f32x4.pmax(v, f32x4.splat(0));
}

/** v, or max(v, 0) lane by lane for Relu. */
@inline function activate(v: v128, stage: Output): v128 {
  return stage == Output.Relu ? relu(v) : v;
}

/** Stores the two vectors of an 8-column block (the first is whole, the second has n - col - 4 > 0 lanes). */
@inline function store8(y: usize, col: i32, n: i32, lo: v128, hi: v128, stage: Output): void {
  v128.store(at(y, col), activate(lo, stage));
  storeLanes(at(y, col + 4), activate(hi, stage), n - col - 4);
}

/**
 * The output stage of one column block of the four rows: c_r its first vector, d_r its second where `wide` (8
 * columns, the second with n − col − 4 lanes; else the 4-column last block, n − col ≤ 4 lanes).
 */
@inline function output(
  stage: Output, y0: usize, y1: usize, y2: usize, y3: usize, col: i32, n: i32, wide: bool,
  c0: v128, c1: v128, c2: v128, c3: v128, d0: v128, d1: v128, d2: v128, d3: v128,
): void {
  if (wide) {
    store8(y0, col, n, c0, d0, stage);
    store8(y1, col, n, c1, d1, stage);
    store8(y2, col, n, c2, d2, stage);
    store8(y3, col, n, c3, d3, stage);
  } else {
    storeLanes(at(y0, col), activate(c0, stage), n - col);
    storeLanes(at(y1, col), activate(c1, stage), n - col);
    storeLanes(at(y2, col), activate(c2, stage), n - col);
    storeLanes(at(y3, col), activate(c3, stage), n - col);
  }
}

/**
 * Four rows, all columns. `weights` is the byte address of W[first tap, 0, 0] in P (bias row at `packed`);
 * tapStride in bytes; `stage` the output stage.
 */
function tile4(
  a0: usize, a1: usize, a2: usize, a3: usize, y0: usize, y1: usize, y2: usize, y3: usize,
  packed: usize, weights: usize, n: i32, kin: i32, taps: i32, tapStride: usize, stage: Output,
): void {
  const npad = paddedWidth(n);
  const rowBytes = <usize>npad << 2;
  const skip = tapStride - (<usize>kin << 2);
  let col = 0;
  for (; col + 8 <= npad; col += 8) {
    const bias = at(packed, col);
    let c00 = v128.load(bias);
    let c01 = v128.load(bias, 16);
    let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
    let pw = at(weights, col);
    let p0 = a0, p1 = a1, p2 = a2, p3 = a3;
    for (let tap = 0; tap < taps; tap++) {
      for (let k = 0; k < kin; k++) {
        const w0 = v128.load(pw);
        const w1 = v128.load(pw, 16);
        let x = v128.load32_splat(p0);
        c00 = madd(c00, x, w0);
        c01 = madd(c01, x, w1);
        x = v128.load32_splat(p1);
        c10 = madd(c10, x, w0);
        c11 = madd(c11, x, w1);
        x = v128.load32_splat(p2);
        c20 = madd(c20, x, w0);
        c21 = madd(c21, x, w1);
        x = v128.load32_splat(p3);
        c30 = madd(c30, x, w0);
        c31 = madd(c31, x, w1);
        pw += rowBytes;
        p0 += 4;
        p1 += 4;
        p2 += 4;
        p3 += 4;
      }
      p0 += skip;
      p1 += skip;
      p2 += skip;
      p3 += skip;
    }
    output(stage, y0, y1, y2, y3, col, n, true, c00, c10, c20, c30, c01, c11, c21, c31);
  }
  if (col < npad) {
    let c0 = v128.load(at(packed, col));
    let c1 = c0, c2 = c0, c3 = c0;
    let pw = at(weights, col);
    let p0 = a0, p1 = a1, p2 = a2, p3 = a3;
    for (let tap = 0; tap < taps; tap++) {
      for (let k = 0; k < kin; k++) {
        const w0 = v128.load(pw);
        c0 = madd(c0, v128.load32_splat(p0), w0);
        c1 = madd(c1, v128.load32_splat(p1), w0);
        c2 = madd(c2, v128.load32_splat(p2), w0);
        c3 = madd(c3, v128.load32_splat(p3), w0);
        pw += rowBytes;
        p0 += 4;
        p1 += 4;
        p2 += 4;
        p3 += 4;
      }
      p0 += skip;
      p1 += skip;
      p2 += skip;
      p3 += skip;
    }
    output(stage, y0, y1, y2, y3, col, n, false, c0, c1, c2, c3, c0, c1, c2, c3);
  }
}

/**
 * y rows for `count` input rows visited by a cursor: row pointers start at a and y; after each row a moves by
 * stepA0 (y by stepY0), except after the last of a segment of c0 rows (stepA1, stepY1) and after the last
 * segment of a group of c1 segments (stepA2, stepY2). Steps and tapStride in bytes; `stage`: the output stage.
 */
export function gemmRows(
  count: i32, c0: i32, c1: i32,
  a: usize, stepA0: isize, stepA1: isize, stepA2: isize,
  y: usize, stepY0: isize, stepY1: isize, stepY2: isize,
  packed: usize, weights: usize, n: i32, kin: i32, taps: i32, tapStride: isize,
  stage: Output = Output.Store,
): void {
  let i0 = 0;
  let i1 = 0;
  let pa = a;
  let py = y;
  // The block's first three rows (locals, not static memory: each thread of the worker pool runs gemmRows on
  // its own); the fourth is the cursor's current row.
  let a0: usize = 0, a1: usize = 0, a2: usize = 0;
  let y0: usize = 0, y1: usize = 0, y2: usize = 0;
  let filled = 0;
  for (let r = 0; r < count; r++) {
    if (filled == 0) {
      a0 = pa;
      y0 = py;
    } else if (filled == 1) {
      a1 = pa;
      y1 = py;
    } else if (filled == 2) {
      a2 = pa;
      y2 = py;
    }
    if (++filled == 4) {
      tile4(a0, a1, a2, pa, y0, y1, y2, py, packed, weights, n, kin, taps, tapStride, stage);
      filled = 0;
    }
    if (++i0 < c0) {
      pa += stepA0;
      py += stepY0;
    } else if (++i1 < c1) {
      i0 = 0;
      pa += stepA1;
      py += stepY1;
    } else {
      i0 = 0;
      i1 = 0;
      pa += stepA2;
      py += stepY2;
    }
  }
  if (filled > 0) {
    // A short last block repeats its last row: the same sums, stored twice to the same place.
    if (filled == 1) {
      a1 = a0;
      y1 = y0;
    }
    if (filled <= 2) {
      a2 = a1;
      y2 = y1;
    }
    tile4(a0, a1, a2, a2, y0, y1, y2, y2, packed, weights, n, kin, taps, tapStride, stage);
  }
}
