// tf-path.ts: the TF-fusion block at inference, its paths computed once per sample (the reference's tfPath.forward;
// on WebGPU shaders/tf-path.wgsl and se-gate.wgsl, which recompute the paths instead). Sample n = d·B + b of the
// direction-stacked batch, x_0 = x, x_1 = x reversed in time:
//   v_p[n,t,f,c]   = relu(bias[d,p,c] + Σ_{i,j} w[d,p,c,i,j] · x_d[b, t+i−padT_p, f+j−padF_p])   (BatchNorm folded;
//                    TF 'same': padT = ⌊(KH−1)/2⌋, padF = ⌊(KW−1)/2⌋, x_d = 0 outside the image)
//   s[n,c]         = Σ_{p,t,f} v_p[n,t,f,c] / (P·T·F)                           (the SE squeeze)
//   gate[n,·]      = se-gate.ts of s[n,·]                                        (SE's gate times w1x1)
//   cat[n,t,p·F+f] = relu(gateBias[d] + Σ_c gate[n,c] · v_p[n,t,f,c]),  cat[n,t,P·F+f] = x_d[b,t,f]
// Reads x (B, T, F), w (2, Σ_p KH_p·KW_p, npad) (uploadFusedParams's packing, used as it is: a path's taps
// row-major, C output channels zero-padded to npad = ⌈C/4⌉·4, which is gemm.ts's weight-row layout), bias (2, P, C),
// the SE weights (se-gate.ts) and gateBias (2); writes cat (2B, T, (P+1)·F) for the samples [lo, hi) only.
// Scratch (per range): tfPathScratchBytes(…) bytes =
//   image  one path's zero-padded x_d, as conv2d.ts lays it out: (Tp, Fp), or (F, Tp) transposed for a one-column
//          kernel (KW = 1, KH > 1: 11×1), Tp = T + KH − 1, Fp = F + KW − 1; the largest path's size
//   paths  v (P, T, F, npad) f32 of one sample (lanes past C unwritten)
//   sums   npad f64; then three npad f32 vectors (s, hidden, gate) and one f32 zero
// Work split: items are samples, each whole: per path its image, then gemm.ts's tiles over CHUNK_T time rows of
// pixels at a time (conv2d.ts's cursor, bias and ReLU in the output stage) into `paths`, whose sums the squeeze takes
// while they are in L1 (each time row's F pixels in f32, the rows in f64: an order set by the shape); then the gate;
// then 4 pixels at a time their dots with it (simd.ts transposeSum), gateBias, clamp, store. The WebGPU kernels
// recompute the paths for the collapse instead (a sample's 3.4 MB of paths is no GPU thread's to keep); here
// keeping them took tf-path from 2.42 ms (squeeze and collapse, each convolving) to 1.65 ms of a batch-1 forward
// on one thread (msse inspect --ops --backend wasm, bench/RESULTS.md).

import { gemmRows, Output, paddedWidth } from './gemm';
import { seGate } from './se-gate';
import { at, copyF32, LANES, laneMask, storeLanes, transposeSum } from './simd';

/** MS-SENet's TF-fusion has three paths (the host checks the config), as shaders/tf-path.wgsl. */
const PATHS: i32 = 3;
/** Time rows per gemm call: 4·F pixels of npad f32, 25 KB at F = C = 39, in L1 from the gemm's stores to their sums. */
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

/** The image region: the largest path's padded image. */
function largestImageBytes(time: i32, freq: i32, kh0: i32, kw0: i32, kh1: i32, kw1: i32, kh2: i32, kw2: i32): i32 {
  return max(imageBytes(time, freq, kh0, kw0), max(imageBytes(time, freq, kh1, kw1), imageBytes(time, freq, kh2, kw2)));
}

/** Bytes of one path's values v_p of a sample: T·F pixels of npad f32. */
@inline function pathBytes(time: i32, freq: i32, npad: i32): i32 {
  return time * freq * npad * 4;
}

export function tfPathScratchBytes(time: i32, freq: i32, chans: i32, kh0: i32, kw0: i32, kh1: i32, kw1: i32, kh2: i32, kw2: i32): i32 {
  const npad = paddedWidth(chans);
  return largestImageBytes(time, freq, kh0, kw0, kh1, kw1, kh2, kw2) + PATHS * pathBytes(time, freq, npad) + npad * 8 + (3 * npad + LANES) * 4;
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
 * v_p of the pixels of time rows [t0, t0 + times) of the padded image into `y` (times·F rows of npad f32, t-major)
 * through gemm.ts, bias and ReLU in its output stage. `bias` is the path's bias row, `weights` its first packed tap
 * row.
 */
function convolveRows(
  image: usize, t0: i32, times: i32, y: usize, bias: usize, weights: usize, time: i32, freq: i32, chans: i32, kh: i32, kw: i32,
): void {
  // Bytes from a pixel's window to the next pixel's, and to the next time row's: the transposed image (F, Tp) keeps
  // a pixel's KH taps as one run of kin = KH floats; (Tp, Fp) has its KH rows Fp apart, kin = KW.
  const along = transposed(kh, kw);
  const pixel = along ? (time + kh - 1) << 2 : 4;
  const row = along ? 4 : (freq + kw - 1) << 2;
  const rowBytes = paddedWidth(chans) << 2;
  gemmRows(
    times * freq, freq, times,
    image + <usize>(t0 * row), pixel, row - (freq - 1) * pixel, 0,
    y, rowBytes, rowBytes, 0,
    bias, weights, chans, along ? kh : kw, along ? 1 : kh, along ? 0 : row, Output.Relu,
  );
}

/**
 * sums[c] += Σ of `rows` time rows of `freq` pixels (npad f32 each) at v: each time row's pixels in f32, the rows
 * in f64 (`sums`, npad f64), so the error does not grow with T. Lanes past C carry whatever v holds there.
 */
function addRowSums(v: usize, sums: usize, rows: i32, freq: i32, npad: i32): void {
  const rowBytes = <usize>npad << 2;
  for (let r = 0; r < rows; r++) {
    const row = v + <usize>(r * freq) * rowBytes;
    for (let c = 0; c < npad; c += LANES) {
      let acc = f32x4.splat(0);
      for (let f = 0; f < freq; f++) acc = f32x4.add(acc, v128.load(at(row + <usize>f * rowBytes, c)));
      const total = sums + (<usize>c << 3);
      v128.store(total, f64x2.add(v128.load(total), f64x2.promote_low_f32x4(acc)));
      v128.store(total, f64x2.add(v128.load(total, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(acc, acc, 2, 3, 0, 1))), 16);
    }
  }
}

/** s = scale · sums (npad f64 → f32). */
function scaleSums(sums: usize, s: usize, npad: i32, scale: f64): void {
  const k = f64x2.splat(scale);
  for (let c = 0; c < npad; c += LANES) {
    const total = sums + (<usize>c << 3);
    const lo = f32x4.demote_f64x2_zero(f64x2.mul(v128.load(total), k));
    const hi = f32x4.demote_f64x2_zero(f64x2.mul(v128.load(total, 16), k));
    v128.store(at(s, c), v128.shuffle<f32>(lo, hi, 0, 1, 4, 5));
  }
}

/** Pixel v's dot with the gate row (zero past C), its lanes past C masked (never written: anything, NaN included). */
@inline function gateDot(v: usize, gate: usize, npad: i32, tail: v128): v128 {
  let acc = f32x4.splat(0);
  const last = npad - LANES;
  for (let c = 0; c < last; c += LANES) acc = f32x4.add(acc, f32x4.mul(v128.load(at(v, c)), v128.load(at(gate, c))));
  return f32x4.add(acc, f32x4.mul(v128.and(v128.load(at(v, last)), tail), v128.load(at(gate, last))));
}

/**
 * cat[t, f] = relu(gb + Σ_c gate[c] · v[t, f, c]) for the path's T·F pixels, cat rows (P+1)·F apart: 4 pixels of a
 * time row per step; past the row's end its last pixel is repeated and those lanes are not stored.
 */
function collapse(v: usize, gate: usize, gb: f32, cat: usize, time: i32, freq: i32, chans: i32): void {
  const npad = paddedWidth(chans);
  const tail = laneMask(chans - (npad - LANES));
  const bias = f32x4.splat(gb);
  const last = freq - 1;
  for (let t = 0; t < time; t++) {
    const pixels = at(v, t * freq * npad);
    const out = at(cat, t * (PATHS + 1) * freq);
    for (let f = 0; f < freq; f += LANES) {
      const sums = transposeSum(
        gateDot(at(pixels, f * npad), gate, npad, tail), gateDot(at(pixels, min(f + 1, last) * npad), gate, npad, tail),
        gateDot(at(pixels, min(f + 2, last) * npad), gate, npad, tail), gateDot(at(pixels, min(f + 3, last) * npad), gate, npad, tail),
      );
      storeLanes(at(out, f), f32x4.pmax(f32x4.add(sums, bias), f32x4.splat(0)), freq - f);
    }
  }
}

export function tfPathForward(
  x: usize, w: usize, bias: usize, fc1w: usize, fc1b: usize, fc2w: usize, fc2b: usize, w1x1: usize, gateBias: usize,
  cat: usize, scratch: usize, lo: i32, hi: i32, batch: i32, time: i32, freq: i32, chans: i32,
  kh0: i32, kw0: i32, kh1: i32, kw1: i32, kh2: i32, kw2: i32,
): void {
  const npad = paddedWidth(chans);
  const paths = scratch + <usize>largestImageBytes(time, freq, kh0, kw0, kh1, kw1, kh2, kw2);
  const path = pathBytes(time, freq, npad);
  const sums = paths + <usize>(PATHS * path);
  const s = sums + (<usize>npad << 3);
  const hidden = at(s, npad);
  const gate = at(hidden, npad);
  const zero = at(gate, npad);
  const width = (PATHS + 1) * freq;
  for (let n = lo; n < hi; n++) {
    const d = n / batch;
    let row = d * (kh0 * kw0 + kh1 * kw1 + kh2 * kw2);
    memory.fill(sums, 0, <usize>npad << 3);
    for (let p = 0; p < PATHS; p++) {
      const kh = ofPath(p, kh0, kh1, kh2);
      const kw = ofPath(p, kw0, kw1, kw2);
      padImage(x, n, scratch, batch, time, freq, kh, kw);
      // CHUNK_T time rows at a time, summed while they are still in L1.
      for (let t0 = 0; t0 < time; t0 += CHUNK_T) {
        const rows = min(CHUNK_T, time - t0);
        const v = paths + <usize>(p * path + t0 * freq * npad * 4);
        convolveRows(scratch, t0, rows, v, at(bias, (d * PATHS + p) * chans), at(w, row * npad), time, freq, chans, kh, kw);
        addRowSums(v, sums, rows, freq, npad);
      }
      row += kh * kw;
    }
    scaleSums(sums, s, npad, 1.0 / <f64>(PATHS * time * freq));
    seGate(s, hidden, zero, gate, fc1w, fc1b, fc2w, fc2b, w1x1, d, chans);
    const gb = load<f32>(at(gateBias, d));
    for (let p = 0; p < PATHS; p++) collapse(paths + <usize>(p * path), gate, gb, at(cat, n * time * width + p * freq), time, freq, chans);
    for (let t = 0; t < time; t++) copyF32(at(cat, (n * time + t) * width + PATHS * freq), inputRow(x, n, t, batch, time, freq), freq);
  }
}
