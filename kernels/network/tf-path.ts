// tf-path.ts: the TF-fusion paths at inference, never written out (the reference's tfPath.squeeze and collapse;
// shaders/tf-path.wgsl). Sample n = d·B + b of the direction-stacked batch, x_0 = x, x_1 = x reversed in time:
//   v_p[n,t,f,c] = relu(bias[d,p,c] + Σ_{i,j} w[d,p,c,i,j] · x_d[b, t+i−padT_p, f+j−padF_p])   (BatchNorm folded;
//                  TF 'same': padT = ⌊(KH−1)/2⌋, padF = ⌊(KW−1)/2⌋, x_d = 0 outside the image)
//   tfPathSqueeze:  rowSums[n,u,s,c]  = Σ_p Σ_{t in block u, f in block s} v_p[n,t,f,c]   (SPAN × SPAN pixel blocks)
//   tfPathCollapse: cat[n,t,p·F+f]    = relu(gateBias[d] + Σ_c gate[n,c] · v_p[n,t,f,c])
//                   cat[n,t,PATHS·F+f] = x_d[b,t,f]
// Reads x (B, T, F), w (2, Σ_p KH_p·KW_p, npad) (uploadFusedParams's packing, used as it is: a path's taps row-major,
// C output channels zero-padded to npad = ⌈C/4⌉·4, which is gemm.ts's weight-row layout), bias (2, PATHS, C);
// collapse also gate (2B, C), gateBias (2). Writes rowSums (2B, ⌈T/SPAN⌉, ⌈F/SPAN⌉, C), or cat (2B, T, (PATHS+1)·F),
// for the samples [lo, hi) only. Scratch (per range): tfPathScratchBytes(…) bytes =
//   image  one path's zero-padded x_d, as conv2d.ts lays it out: (Tp, Fp), or (F, Tp) transposed for a one-column
//          kernel (KW = 1, KH > 1: 11×1), Tp = T + KH − 1, Fp = F + KW − 1; the largest path's size
//   then squeeze: quads  the sums per (time block u, quad g of 4 pixels along f), ⌈T/SPAN⌉·⌈F/4⌉ rows of npad f32
//        collapse: chunk  CHUNK_T time rows of gated partial sums, 4 f32 per pixel
// Work split: items are samples, each computed whole: per path its image, then gemm.ts's tiles over its pixels
// (conv2d.ts's cursor, bias and ReLU in the output stage), v_p itself never stored. squeeze sums in the output
// stage (gemm.ts SumRelu): the pixels f < F − F mod 4 of each time row go in tiles of 4 pixels of one quad, each
// tile's clamped rows added to its quad's sums; the last F mod 4 pixels of a block's rows, all in its last quad, in
// tiles of their own; the two quads of each block are added at the end (sums in an order set by the shape).
// collapse dots in the output stage too (gemm.ts GateRelu: each pixel's clamped channels times the gate row, as 4
// lane sums), CHUNK_T time rows at a time into the chunk, then finishes 4 pixels at a time (simd.ts
// transposeSum), adds gateBias, clamps and stores. Against a chunk of v_p summed or dotted after the gemm, the
// output stage took the squeeze from 1.2x to 0.93x conv2d's time and the collapse from 1.2x to 1.05x.
// Both recompute v_p (the interface keeps nothing between them): twice conv2d's work, at gemm.ts's speed.

import { gemmRows, Output, paddedWidth } from './gemm';
import { at, copyF32, LANES, storeLanes, transposeSum } from './simd';

/** MS-SENet's TF-fusion has three paths (the host checks the config), as shaders/tf-path.wgsl. */
const PATHS: i32 = 3;
/** Side of the squeeze's pixel blocks: TF_PATH_SPAN (src/runtime/backend.ts). */
const SPAN: i32 = 8;
/** Pixels per quad: one gemm.ts tile (SPAN holds two). */
const QUAD: i32 = 4;
/** Time rows per collapse chunk: 4·F·4 f32, 2.5 KB at F = 39, in L1 from the gemm's stores to the pass over them. */
const CHUNK_T: i32 = 4;

@inline function align64(bytes: i32): i32 {
  return (bytes + 63) & ~63;
}

/** Path p's value among the three per-path arguments. */
@inline function ofPath(p: i32, v0: i32, v1: i32, v2: i32): i32 {
  return p == 0 ? v0 : p == 1 ? v1 : v2;
}

/** A one-column kernel (11×1) slides along time: its image is transposed so its KH taps are consecutive. */
@inline function transposed(kh: i32, kw: i32): bool {
  return kw == 1 && kh > 1;
}

@inline function imageBytes(time: i32, freq: i32, kh: i32, kw: i32): i32 {
  return align64((time + kh - 1) * (freq + kw - 1) * 4);
}

@inline function chunkBytes(freq: i32): i32 {
  return CHUNK_T * freq * LANES * 4;
}

@inline function blocksOf(length: i32): i32 {
  return (length + SPAN - 1) / SPAN;
}

/** The image region: the largest path's padded image. */
function largestImageBytes(time: i32, freq: i32, kh0: i32, kw0: i32, kh1: i32, kw1: i32, kh2: i32, kw2: i32): i32 {
  return max(imageBytes(time, freq, kh0, kw0), max(imageBytes(time, freq, kh1, kw1), imageBytes(time, freq, kh2, kw2)));
}

@inline function quadsOf(freq: i32): i32 {
  return (freq + QUAD - 1) / QUAD;
}

export function tfPathScratchBytes(time: i32, freq: i32, chans: i32, kh0: i32, kw0: i32, kh1: i32, kw1: i32, kh2: i32, kw2: i32): i32 {
  const image = largestImageBytes(time, freq, kh0, kw0, kh1, kw1, kh2, kw2);
  const rowBytes = paddedWidth(chans) * 4;
  return image + max(blocksOf(time) * quadsOf(freq) * rowBytes, chunkBytes(freq));
}

/** Row t of x_d for sample n (direction 1 reads x's rows backwards). */
@inline function inputRow(x: usize, n: i32, t: i32, batch: i32, time: i32, freq: i32): usize {
  const row = n < batch ? t : time - 1 - t;
  return at(x, ((n % batch) * time + row) * freq);
}

/** Sample n's x_d, zero-padded for a KH × KW kernel, into `image` (layout in the header). */
function padImage(x: usize, n: i32, image: usize, batch: i32, time: i32, freq: i32, kh: i32, kw: i32): void {
  const padT = (kh - 1) / 2;
  const padF = (kw - 1) / 2;
  const tp = time + kh - 1;
  const fp = freq + kw - 1;
  memory.fill(image, 0, <usize>(tp * fp) << 2);
  for (let t = 0; t < time; t++) {
    const src = inputRow(x, n, t, batch, time, freq);
    if (transposed(kh, kw)) {
      const dst = at(image, t + padT);
      for (let f = 0; f < freq; f++) store<f32>(dst + (<usize>(f * tp) << 2), load<f32>(at(src, f)));
    } else {
      memory.copy(at(image, (t + padT) * fp + padF), src, <usize>freq << 2);
    }
  }
}

/**
 * gemm.ts over pixels (t, f) of the padded image, t in [t0, t0 + times), f in [f0, f0 + width), t-major, with
 * output stage `stage` (`gate`: GateRelu's row): output pointers from y, stepY bytes per pixel, stepYRow from a time
 * row's last pixel to the next row's first. `bias` is the path's bias row, `weights` its first packed tap row.
 */
function convolvePixels(
  image: usize, t0: i32, times: i32, f0: i32, width: i32, y: usize, stepY: i32, stepYRow: i32, stage: Output,
  bias: usize, weights: usize, time: i32, freq: i32, chans: i32, kh: i32, kw: i32, gate: usize = 0,
): void {
  // Bytes from a pixel's window to the next pixel's, and to the next time row's: the transposed image (F, Tp) keeps
  // a pixel's KH taps as one run of kin = KH floats; (Tp, Fp) has its KH rows Fp apart, kin = KW.
  const along = transposed(kh, kw);
  const pixel = along ? (time + kh - 1) << 2 : 4;
  const row = along ? 4 : (freq + kw - 1) << 2;
  gemmRows(
    times * width, width, times,
    image + <usize>(t0 * row + f0 * pixel), pixel, row - (width - 1) * pixel, 0,
    y, stepY, stepYRow, 0,
    bias, weights, chans, along ? kh : kw, along ? 1 : kh, along ? 0 : row, stage, gate,
  );
}

/** What sweepPaths does with a path's values. */
const SQUEEZE: i32 = 0;
const COLLAPSE: i32 = 1;

/**
 * Sample n's paths to `consumer`: SQUEEZE adds them into the quad sums at `tail`; COLLAPSE dots them with the gate
 * row at `tail` chunk by chunk and finishes each (plus gateBias `gb`) into cat's rows at `cat`.
 */
function sweepPaths(
  consumer: i32, x: usize, w: usize, bias: usize, image: usize, chunk: usize, tail: usize, cat: usize, gb: f32,
  n: i32, batch: i32, time: i32, freq: i32, chans: i32, kh0: i32, kw0: i32, kh1: i32, kw1: i32, kh2: i32, kw2: i32,
): void {
  const npad = paddedWidth(chans);
  const d = n / batch;
  let row = d * (kh0 * kw0 + kh1 * kw1 + kh2 * kw2);
  for (let p = 0; p < PATHS; p++) {
    const kh = ofPath(p, kh0, kh1, kh2);
    const kw = ofPath(p, kw0, kw1, kw2);
    padImage(x, n, image, batch, time, freq, kh, kw);
    const pathBias = at(bias, (d * PATHS + p) * chans);
    const weights = at(w, row * npad);
    if (consumer == SQUEEZE) {
      sumPixels(image, tail, pathBias, weights, time, freq, chans, kh, kw);
    } else {
      for (let t0 = 0; t0 < time; t0 += CHUNK_T) {
        const rows = min(CHUNK_T, time - t0);
        convolvePixels(image, t0, rows, 0, freq, chunk, 16, 16, Output.GateRelu, pathBias, weights, time, freq, chans, kh, kw, tail);
        finishGates(chunk, gb, at(cat, (n * time + t0) * (PATHS + 1) * freq + p * freq), rows, freq);
      }
    }
    row += kh * kw;
  }
}

/**
 * quads[u·⌈F/4⌉ + f / 4] += Σ over the path's pixels (t, f), t in block u, of v_p[t, f, ·] (gemm.ts SumRelu). Per
 * block of SPAN time rows two calls: one over the pixels f < F − F mod 4 of each row, whose tiles are 4 pixels of
 * one quad (the y pointer steps a quarter of a row per pixel, so a tile's first pixel points at its quad, and goes
 * back at a row's end); one over the last F mod 4 pixels of each row, all of the block's last quad.
 */
function sumPixels(image: usize, quads: usize, bias: usize, weights: usize, time: i32, freq: i32, chans: i32, kh: i32, kw: i32): void {
  const rowBytes = paddedWidth(chans) << 2;
  const whole = freq & ~(QUAD - 1);
  const quarter = rowBytes / QUAD;
  for (let t0 = 0; t0 < time; t0 += SPAN) {
    const times = min(SPAN, time - t0);
    const blockRow = quads + <usize>((t0 / SPAN) * quadsOf(freq) * rowBytes);
    convolvePixels(image, t0, times, 0, whole, blockRow, quarter, -(whole - 1) * quarter, Output.SumRelu, bias, weights, time, freq, chans, kh, kw);
    convolvePixels(image, t0, times, whole, freq - whole, blockRow + <usize>(whole / QUAD * rowBytes), 0, 0, Output.SumRelu, bias, weights, time, freq, chans, kh, kw);
  }
}

/**
 * cat[t, f] = relu(gb + Σ of pixel (t, f)'s 4 partial sums) for the chunk's `rows` time rows, cat rows (PATHS+1)·F
 * apart: 4 pixels per step; past a row's end its last pixel is repeated and those lanes are not stored.
 */
function finishGates(chunk: usize, gb: f32, cat: usize, rows: i32, freq: i32): void {
  const bias = f32x4.splat(gb);
  const last = freq - 1;
  for (let t = 0; t < rows; t++) {
    const pixels = at(chunk, t * freq * LANES);
    const out = at(cat, t * (PATHS + 1) * freq);
    for (let f = 0; f < freq; f += LANES) {
      const sums = transposeSum(
        v128.load(at(pixels, f * LANES)), v128.load(at(pixels, min(f + 1, last) * LANES)),
        v128.load(at(pixels, min(f + 2, last) * LANES)), v128.load(at(pixels, min(f + 3, last) * LANES)),
      );
      storeLanes(at(out, f), f32x4.pmax(f32x4.add(sums, bias), f32x4.splat(0)), freq - f);
    }
  }
}

export function tfPathSqueeze(
  x: usize, w: usize, bias: usize, rowSums: usize, scratch: usize,
  lo: i32, hi: i32, batch: i32, time: i32, freq: i32, chans: i32,
  kh0: i32, kw0: i32, kh1: i32, kw1: i32, kh2: i32, kw2: i32,
): void {
  const npad = paddedWidth(chans);
  const quads = scratch + <usize>largestImageBytes(time, freq, kh0, kw0, kh1, kw1, kh2, kw2);
  const perRow = quadsOf(freq);
  const fBlocks = blocksOf(freq);
  const blocks = blocksOf(time) * fBlocks;
  for (let n = lo; n < hi; n++) {
    memory.fill(quads, 0, <usize>(blocksOf(time) * perRow * npad) << 2);
    sweepPaths(SQUEEZE, x, w, bias, scratch, 0, quads, 0, 0, n, batch, time, freq, chans, kh0, kw0, kh1, kw1, kh2, kw2);
    // rowSums[n, u, s] = quads[u, 2s] + quads[u, 2s + 1] (the second where F reaches it).
    for (let r = 0; r < blocks; r++) {
      const first = at(quads, ((r / fBlocks) * perRow + (r % fBlocks) * 2) * npad);
      const paired = (r % fBlocks) * 2 + 1 < perRow;
      for (let c = 0; c < chans; c += LANES) {
        const v = v128.load(at(first, c));
        storeLanes(at(rowSums, (n * blocks + r) * chans + c), paired ? f32x4.add(v, v128.load(at(first, npad + c))) : v, chans - c);
      }
    }
  }
}

export function tfPathCollapse(
  x: usize, w: usize, bias: usize, gate: usize, gateBias: usize, cat: usize, scratch: usize,
  lo: i32, hi: i32, batch: i32, time: i32, freq: i32, chans: i32,
  kh0: i32, kw0: i32, kh1: i32, kw1: i32, kh2: i32, kw2: i32,
): void {
  const chunk = scratch + <usize>largestImageBytes(time, freq, kh0, kw0, kh1, kw1, kh2, kw2);
  const width = (PATHS + 1) * freq;
  for (let n = lo; n < hi; n++) {
    // The gate row read in place: its lanes past C (the next row, or SLACK) are masked by gemm.ts.
    const gb = load<f32>(at(gateBias, n / batch));
    sweepPaths(COLLAPSE, x, w, bias, scratch, chunk, at(gate, n * chans), cat, gb, n, batch, time, freq, chans, kh0, kw0, kh1, kw1, kh2, kw2);
    for (let t = 0; t < time; t++) copyF32(at(cat, (n * time + t) * width + PATHS * freq), inputRow(x, n, t, batch, time, freq), freq);
  }
}
