// batch-norm.ts: BatchNorm with given statistics (inference: the running ones), channels-last (the reference's
// batchNorm.forwardInference; shaders/batch-norm.wgsl `normalize`).
//   y[r, c] = γ[c] · (x[r, c] − μ[c]) / sqrt(σ²[c] + eps) + β[c]
//           = (x[r, c] − μ[c]) · a[c] + β[c],  a = γ / sqrt(σ² + eps) in f32, as the WGSL's affineOf
// x seen as (rows, C). Reads x, gamma, beta, mean, variance (C each); writes y; scratch:
// batchNormScratchBytes(C) bytes = μ, a and β each laid out as a block row (channel-walk.ts).
// Work split: the host gives each thread a range of rows (its own scratch); whole blocks of g rows as f32x4 with no
// tail, the factors read as vectors beside x; rows after the last block one by one, their last partial vector
// stored lane by lane.

import { blockRows, replicate } from './channel-walk';
import { CHUNK_ROWS, partRow, partSum } from './accumulate';
import { paddedWidth } from './gemm';
import { counterHash } from './random';
import { at, LANES, laneMask, storeLanes } from './simd';

export function batchNormScratchBytes(chans: i32): i32 {
  return 3 * blockRows(chans) * chans * 4;
}

export function batchNormForwardInference(
  x: usize, gamma: usize, beta: usize, mean: usize, variance: usize, y: usize, scratch: usize,
  rows: i32, chans: i32, eps: f32,
): void {
  const g = blockRows(chans);
  const width = g * chans;
  const mu = scratch;
  const a = at(scratch, width);
  const b = at(scratch, 2 * width);
  // a's first row from the statistics, then every factor row replicated.
  for (let c = 0; c < chans; c++) store<f32>(at(a, c), load<f32>(at(gamma, c)) / Mathf.sqrt(load<f32>(at(variance, c)) + eps));
  replicate(mean, mu, chans, g);
  replicate(a, a, chans, g); // row 0 onto itself is a no-op copy; rows 1.. follow
  replicate(beta, b, chans, g);

  const blocks = rows / g;
  let p = x;
  let q = y;
  for (let k = 0; k < blocks; k++) {
    for (let v = 0; v < width; v += LANES) {
      const xv = v128.load(at(p, v));
      v128.store(at(q, v), f32x4.add(f32x4.mul(f32x4.sub(xv, v128.load(at(mu, v))), v128.load(at(a, v))), v128.load(at(b, v))));
    }
    p += <usize>width << 2;
    q += <usize>width << 2;
  }
  for (let r = blocks * g; r < rows; r++) {
    for (let c = 0; c < chans; c += LANES) {
      const xv = v128.load(at(p, c));
      const v = f32x4.add(f32x4.mul(f32x4.sub(xv, v128.load(at(mu, c))), v128.load(at(a, c))), v128.load(at(b, c)));
      storeLanes(at(q, c), v, chans - c);
    }
    p += <usize>chans << 2;
    q += <usize>chans << 2;
  }
}

// ---- training ---- (x seen as (N, C), N = rows; Cpad = C rounded up to f32x4)
// Every pass walks rows in order, f32x4 over a row's channels, the last partial vector's loads masked (they reach
// into the next row or SLACK) and its stores lane by lane. Per-channel sums (accumulate.ts): each chunk of
// CHUNK_ROWS rows is a part, its f32x4 sums written to its own row of partials by whichever thread has it; the
// combine adds the rows in part order in f64 and rounds once. Elementwise passes take rows [lo, hi).
// Statistics: batchNormMomentParts with centred = 0 (row Σ_r x), combined by sumParts into μ = Σ / N; again with
//   centred = 1 (row Σ_r (x − μ)², μ the f32 mean), combined into σ² = Σ / N (biased, two passes). Reads x (and mean);
//   writes the parts' rows of Cpad partials. forwardTrain's y is then batchNormForwardInference (or
//   batchNormNormalizeTail) with these statistics.
// Backward: with s = 1 / sqrt(σ² + eps) and x̂ = (x − μ)·s: dβ = Σ_r dy, dγ = Σ_r dy·x̂,
//   dx = γ·s·(dy − dβ/N − x̂·dγ/N).
//   batchNormBackwardParts: each part's row of 2·Cpad partials, Σ dy then Σ dy·x̂; reads dy, x, mean, variance;
//     scratch: batchNormBackwardScratchBytes(C) = s (Cpad f32), per range.
//   batchNormBackwardFactors: sums the parts into dβ, dγ and writes the factors block (batchNormFactorBytes(C) =
//     four rows of Cpad f32: s, γs, γs·dβ/N, γs·dγ/N, each from the f64 totals rounded once; zero past C).
//   batchNormBackwardInput: dx = γs·dy − γs·dβ/N − x̂·(γs·dγ/N) for rows [lo, hi); reads dy, x, mean, the factors.
// batchNormUpdateRunning (in place): r_mean = m·r_mean + (1−m)·μ, r_var = m·r_var + (1−m)·σ²·varianceScale, in f64.

/** 1 / sqrt(σ²[c] + eps), in f64 rounded once. */
@inline function invStd(variance: usize, c: i32, eps: f32): f32 {
  return <f32>(1 / Math.sqrt(<f64>load<f32>(at(variance, c)) + <f64>eps));
}

/** acc[c] += v for the vector at c (f32x4 partial row). */
@inline function addTo(acc: usize, c: i32, v: v128): void {
  v128.store(at(acc, c), f32x4.add(v128.load(at(acc, c)), v));
}

export function batchNormMomentParts(x: usize, mean: usize, partials: usize, lo: i32, hi: i32, rows: i32, chans: i32, centred: i32): void {
  const whole = chans & ~(LANES - 1);
  const mask = laneMask(chans - whole);
  for (let p = lo; p < hi; p++) {
    const acc = partRow(partials, p, chans);
    memory.fill(acc, 0, <usize>paddedWidth(chans) << 2);
    const end = min(rows, (p + 1) * CHUNK_ROWS);
    for (let r = p * CHUNK_ROWS; r < end; r++) {
      if (centred != 0) addSquares(acc, at(x, r * chans), mean, whole, chans, mask);
      else addRow(acc, at(x, r * chans), whole, chans, mask);
    }
  }
}

/** acc += row, f32x4 over the C channels, the last partial vector masked. */
@inline function addRow(acc: usize, row: usize, whole: i32, chans: i32, mask: v128): void {
  let c = 0;
  for (; c < whole; c += LANES) addTo(acc, c, v128.load(at(row, c)));
  if (c < chans) addTo(acc, c, v128.and(v128.load(at(row, c)), mask));
}

/** acc += (row − μ)², f32x4 over the C channels, the last partial vector masked. */
@inline function addSquares(acc: usize, row: usize, mean: usize, whole: i32, chans: i32, mask: v128): void {
  let c = 0;
  for (; c < whole; c += LANES) {
    const d = f32x4.sub(v128.load(at(row, c)), v128.load(at(mean, c)));
    addTo(acc, c, f32x4.mul(d, d));
  }
  if (c < chans) {
    const d = v128.and(f32x4.sub(v128.load(at(row, c)), v128.load(at(mean, c))), mask);
    addTo(acc, c, f32x4.mul(d, d));
  }
}

/** f32 per part of batchNormBackwardParts: Σ dy, then Σ dy·x̂, Cpad each. */
export function batchNormBackwardPartWidth(chans: i32): i32 {
  return 2 * paddedWidth(chans);
}

export function batchNormBackwardScratchBytes(chans: i32): i32 {
  return paddedWidth(chans) * 4;
}

export function batchNormBackwardParts(
  dy: usize, x: usize, mean: usize, variance: usize, partials: usize, scratch: usize,
  lo: i32, hi: i32, rows: i32, chans: i32, eps: f32,
): void {
  const cpad = paddedWidth(chans);
  const s = scratch;
  for (let c = 0; c < cpad; c++) store<f32>(at(s, c), c < chans ? invStd(variance, c, eps) : 0);
  const whole = chans & ~(LANES - 1);
  const mask = laneMask(chans - whole);
  for (let p = lo; p < hi; p++) {
    const accDy = partRow(partials, p, batchNormBackwardPartWidth(chans));
    const accDyXhat = at(accDy, cpad);
    memory.fill(accDy, 0, <usize>(2 * cpad) << 2);
    const end = min(rows, (p + 1) * CHUNK_ROWS);
    for (let r = p * CHUNK_ROWS; r < end; r++) {
      const xr = at(x, r * chans);
      const gr = at(dy, r * chans);
      for (let c = 0; c < chans; c += LANES) {
        const xhat = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), v128.load(at(mean, c))), v128.load(at(s, c)));
        const g = v128.load(at(gr, c));
        const keep = c < whole ? i32x4.splat(-1) : mask;
        addTo(accDy, c, v128.and(g, keep));
        addTo(accDyXhat, c, v128.and(f32x4.mul(g, xhat), keep));
      }
    }
  }
}

export function batchNormFactorBytes(chans: i32): i32 {
  return 4 * paddedWidth(chans) * 4;
}

export function batchNormBackwardFactors(
  partials: usize, parts: i32, gamma: usize, variance: usize, factors: usize, dgamma: usize, dbeta: usize,
  rows: i32, chans: i32, eps: f32,
): void {
  const cpad = paddedWidth(chans);
  const n = <f64>rows;
  for (let c = 0; c < cpad; c++) {
    const inside = c < chans;
    const sumDy = inside ? partSum(partials, 0, parts, batchNormBackwardPartWidth(chans), c) : 0;
    const sumDyXhat = inside ? partSum(partials, 0, parts, batchNormBackwardPartWidth(chans), cpad + c) : 0;
    const s = inside ? invStd(variance, c, eps) : 0;
    const gs = inside ? <f64>load<f32>(at(gamma, c)) * <f64>s : 0;
    if (inside) {
      store<f32>(at(dbeta, c), <f32>sumDy);
      store<f32>(at(dgamma, c), <f32>sumDyXhat);
    }
    store<f32>(at(factors, c), s);
    store<f32>(at(factors, cpad + c), <f32>gs);
    store<f32>(at(factors, 2 * cpad + c), <f32>((gs * sumDy) / n));
    store<f32>(at(factors, 3 * cpad + c), <f32>((gs * sumDyXhat) / n));
  }
}

export function batchNormBackwardInput(dy: usize, x: usize, mean: usize, factors: usize, dx: usize, lo: i32, hi: i32, chans: i32): void {
  const cpad = paddedWidth(chans);
  const s = factors;
  const k1 = at(factors, cpad);
  const k0 = at(factors, 2 * cpad);
  const k2 = at(factors, 3 * cpad);
  for (let r = lo; r < hi; r++) {
    const xr = at(x, r * chans);
    const gr = at(dy, r * chans);
    const out = at(dx, r * chans);
    for (let c = 0; c < chans; c += LANES) {
      const xhat = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), v128.load(at(mean, c))), v128.load(at(s, c)));
      const v = f32x4.sub(f32x4.sub(f32x4.mul(v128.load(at(k1, c)), v128.load(at(gr, c))), v128.load(at(k0, c))), f32x4.mul(xhat, v128.load(at(k2, c))));
      storeLanes(at(out, c), v, chans - c);
    }
  }
}

// batchNormNormalizeTail: forwardTrain's y with its ReLU-dropout tail in the same pass (spatial-dropout.ts's rule):
//   y[s, m, c] = keep(s, c) ? max((x − μ)·a + β, 0) · scale : 0,  a = γ / sqrt(σ² + eps) in f32 (as the inference
//   kernel, so the numbers equal that kernel followed by spatialDropoutForward), x seen as (B, M, C).
// Reads x, gamma, beta, mean, variance; writes y for samples [lo, hi) (x, y: the whole tensors; the hash takes the
// sample's index); scratch: batchNormTailScratchBytes(C) = μ, a, β and the sample's keep mask, Cpad lanes each.
// Rows f32x4 over c, the last partial vector stored lane by lane.
export function batchNormTailScratchBytes(chans: i32): i32 {
  return 4 * paddedWidth(chans) * 4;
}

export function batchNormNormalizeTail(
  x: usize, gamma: usize, beta: usize, mean: usize, variance: usize, y: usize, scratch: usize,
  lo: i32, hi: i32, mid: i32, chans: i32, eps: f32, seed: u32, stream: u32, step: u32, keepBelow: u32, scale: f32,
): void {
  const cpad = paddedWidth(chans);
  const mu = scratch;
  const a = at(scratch, cpad);
  const b = at(scratch, 2 * cpad);
  const keep = at(scratch, 3 * cpad);
  for (let c = 0; c < chans; c++) {
    store<f32>(at(mu, c), load<f32>(at(mean, c)));
    store<f32>(at(a, c), load<f32>(at(gamma, c)) / Mathf.sqrt(load<f32>(at(variance, c)) + eps));
    store<f32>(at(b, c), load<f32>(at(beta, c)));
  }
  const s = f32x4.splat(scale);
  const zero = f32x4.splat(0);
  for (let n = lo; n < hi; n++) {
    for (let c = 0; c < chans; c++) store<i32>(at(keep, c), counterHash(seed, stream, step, <u32>n, <u32>c) < keepBelow ? -1 : 0);
    for (let m = 0; m < mid; m++) {
      const row = (n * mid + m) * chans;
      for (let c = 0; c < chans; c += LANES) {
        const v = f32x4.add(f32x4.mul(f32x4.sub(v128.load(at(x, row + c)), v128.load(at(mu, c))), v128.load(at(a, c))), v128.load(at(b, c)));
        storeLanes(at(y, row + c), v128.and(f32x4.mul(f32x4.max(v, zero), s), v128.load(at(keep, c))), chans - c);
      }
    }
  }
}

export function batchNormUpdateRunning(
  runningMean: usize, runningVar: usize, mean: usize, variance: usize, chans: i32, momentum: f64, varianceScale: f64,
): void {
  for (let c = 0; c < chans; c++) {
    const rm = momentum * <f64>load<f32>(at(runningMean, c)) + (1 - momentum) * <f64>load<f32>(at(mean, c));
    const rv = momentum * <f64>load<f32>(at(runningVar, c)) + (1 - momentum) * <f64>load<f32>(at(variance, c)) * varianceScale;
    store<f32>(at(runningMean, c), <f32>rm);
    store<f32>(at(runningVar, c), <f32>rv);
  }
}
