// batch-norm.ts: BatchNorm with given statistics (inference: the running ones), channels-last (the reference's
// batchNorm.forwardInference; shaders/batch-norm.wgsl `normalize`).
//   y[r, c] = γ[c] · (x[r, c] − μ[c]) / sqrt(σ²[c] + eps) + β[c]
//           = (x[r, c] − μ[c]) · a[c] + β[c],  a = γ / sqrt(σ² + eps) in f32, as the WGSL's affineOf
// x seen as (rows, C). Reads x, gamma, beta, mean, variance (C each); writes y; scratch:
// batchNormScratchBytes(C) bytes = μ, a and β each laid out as a block row (channel-walk.ts).
// Work split: whole blocks of g rows as f32x4 with no tail, the factors read as vectors beside x; rows after the
// last block one by one, their last partial vector stored lane by lane.

import { blockRows, replicate } from './channel-walk';
import { CHUNK_ROWS } from './accumulate';
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
// into the next row or SLACK) and its stores lane by lane. Per-channel sums: f32x4 partials over chunks of
// CHUNK_ROWS rows added into f64 totals in chunk order (accumulate.ts): a fixed order, about one rounding.
// batchNormStatistics: μ = Σ_r x / N, then σ² = Σ_r (x − μ)² / N with μ rounded to f32 (biased, two passes). Reads
//   x; writes mean, variance (C each); forwardTrain's y is then batchNormForwardInference with these statistics.
// batchNormBackward: with s = 1 / sqrt(σ² + eps) and x̂ = (x − μ)·s: dβ = Σ_r dy, dγ = Σ_r dy·x̂,
//   dx = γ·s·(dy − dβ/N − x̂·dγ/N) (the per-channel factors γ·s, dβ/N, dγ/N from the f64 totals, rounded once).
//   Reads dy, x, gamma, mean, variance; writes dx, dgamma, dbeta.
// Scratch of both: batchNormTrainScratchBytes(C) = two f32 partial rows, four f32 factor rows (Cpad each), then two
//   f64 total rows (Cpad each).
// batchNormUpdateRunning (in place): r_mean = m·r_mean + (1−m)·μ, r_var = m·r_var + (1−m)·σ²·varianceScale, in f64.

export function batchNormTrainScratchBytes(chans: i32): i32 {
  return paddedWidth(chans) * (6 * 4 + 2 * 8);
}

@inline function f64At(base: usize, i: i32): usize {
  return base + (<usize>i << 3);
}

/** acc[c] += v for the vector at c (f32x4 partial row). */
@inline function addTo(acc: usize, c: i32, v: v128): void {
  v128.store(at(acc, c), f32x4.add(v128.load(at(acc, c)), v));
}

/** total[c] += acc[c] (f64) for c < n, then acc zeroed. */
function flushRow(total: usize, acc: usize, n: i32): void {
  for (let c = 0; c < n; c++) store<f64>(f64At(total, c), load<f64>(f64At(total, c)) + <f64>load<f32>(at(acc, c)));
  memory.fill(acc, 0, <usize>n << 2);
}

export function batchNormStatistics(x: usize, mean: usize, variance: usize, scratch: usize, rows: i32, chans: i32): void {
  const cpad = paddedWidth(chans);
  const acc = scratch;
  const mu = at(scratch, 2 * cpad);
  const total = at(scratch, 6 * cpad);
  const whole = chans & ~(LANES - 1);
  const mask = laneMask(chans - whole);
  const n = <f64>rows;
  memory.fill(scratch, 0, <usize>batchNormTrainScratchBytes(chans));
  for (let r = 0; r < rows; r++) {
    const row = at(x, r * chans);
    let c = 0;
    for (; c < whole; c += LANES) addTo(acc, c, v128.load(at(row, c)));
    if (c < chans) addTo(acc, c, v128.and(v128.load(at(row, c)), mask));
    if ((r + 1) % CHUNK_ROWS == 0 || r + 1 == rows) flushRow(total, acc, cpad);
  }
  for (let c = 0; c < chans; c++) {
    const m = <f32>(load<f64>(f64At(total, c)) / n);
    store<f32>(at(mean, c), m);
    store<f32>(at(mu, c), m);
    store<f64>(f64At(total, c), 0);
  }
  for (let r = 0; r < rows; r++) {
    const row = at(x, r * chans);
    let c = 0;
    for (; c < whole; c += LANES) {
      const d = f32x4.sub(v128.load(at(row, c)), v128.load(at(mu, c)));
      addTo(acc, c, f32x4.mul(d, d));
    }
    if (c < chans) {
      const d = v128.and(f32x4.sub(v128.load(at(row, c)), v128.load(at(mu, c))), mask);
      addTo(acc, c, f32x4.mul(d, d));
    }
    if ((r + 1) % CHUNK_ROWS == 0 || r + 1 == rows) flushRow(total, acc, cpad);
  }
  for (let c = 0; c < chans; c++) store<f32>(at(variance, c), <f32>(load<f64>(f64At(total, c)) / n));
}

export function batchNormBackward(
  dy: usize, x: usize, gamma: usize, mean: usize, variance: usize, dx: usize, dgamma: usize, dbeta: usize,
  scratch: usize, rows: i32, chans: i32, eps: f32,
): void {
  const cpad = paddedWidth(chans);
  const accDy = scratch;
  const accDyXhat = at(scratch, cpad);
  const mu = at(scratch, 2 * cpad);
  const s = at(scratch, 3 * cpad);
  const k1 = at(scratch, 4 * cpad);
  const k2 = at(scratch, 5 * cpad);
  const totDy = at(scratch, 6 * cpad);
  const totDyXhat = f64At(totDy, cpad);
  const whole = chans & ~(LANES - 1);
  const mask = laneMask(chans - whole);
  memory.fill(scratch, 0, <usize>batchNormTrainScratchBytes(chans));
  for (let c = 0; c < chans; c++) {
    store<f32>(at(mu, c), load<f32>(at(mean, c)));
    store<f32>(at(s, c), <f32>(1 / Math.sqrt(<f64>load<f32>(at(variance, c)) + <f64>eps)));
  }
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * chans);
    const gr = at(dy, r * chans);
    for (let c = 0; c < chans; c += LANES) {
      const xhat = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), v128.load(at(mu, c))), v128.load(at(s, c)));
      const g = v128.load(at(gr, c));
      const keep = c < whole ? i32x4.splat(-1) : mask;
      addTo(accDy, c, v128.and(g, keep));
      addTo(accDyXhat, c, v128.and(f32x4.mul(g, xhat), keep));
    }
    if ((r + 1) % CHUNK_ROWS == 0 || r + 1 == rows) {
      flushRow(totDy, accDy, cpad);
      flushRow(totDyXhat, accDyXhat, cpad);
    }
  }
  const n = <f64>rows;
  for (let c = 0; c < chans; c++) {
    const sumDy = load<f64>(f64At(totDy, c));
    const sumDyXhat = load<f64>(f64At(totDyXhat, c));
    store<f32>(at(dbeta, c), <f32>sumDy);
    store<f32>(at(dgamma, c), <f32>sumDyXhat);
    // dx = γs·dy − γs·dβ/N − x̂·(γs·dγ/N): k1 = γs, accDy row ← γs·dβ/N, k2 = γs·dγ/N.
    const gs = <f64>load<f32>(at(gamma, c)) * <f64>load<f32>(at(s, c));
    store<f32>(at(k1, c), <f32>gs);
    store<f32>(at(accDy, c), <f32>((gs * sumDy) / n));
    store<f32>(at(k2, c), <f32>((gs * sumDyXhat) / n));
  }
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * chans);
    const gr = at(dy, r * chans);
    const out = at(dx, r * chans);
    for (let c = 0; c < chans; c += LANES) {
      const xhat = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), v128.load(at(mu, c))), v128.load(at(s, c)));
      const v = f32x4.sub(f32x4.sub(f32x4.mul(v128.load(at(k1, c)), v128.load(at(gr, c))), v128.load(at(accDy, c))), f32x4.mul(xhat, v128.load(at(k2, c))));
      storeLanes(at(out, c), v, chans - c);
    }
  }
}

// batchNormNormalizeTail: forwardTrain's y with its ReLU-dropout tail in the same pass (spatial-dropout.ts's rule):
//   y[s, m, c] = keep(s, c) ? max((x − μ)·a + β, 0) · scale : 0,  a = γ / sqrt(σ² + eps) in f32 (as the inference
//   kernel, so the numbers equal that kernel followed by spatialDropoutForward), x seen as (B, M, C).
// Reads x, gamma, beta, mean, variance; writes y; scratch: batchNormTailScratchBytes(C) = μ, a, β and the sample's
// keep mask, Cpad lanes each. Rows f32x4 over c, the last partial vector stored lane by lane.
export function batchNormTailScratchBytes(chans: i32): i32 {
  return 4 * paddedWidth(chans) * 4;
}

export function batchNormNormalizeTail(
  x: usize, gamma: usize, beta: usize, mean: usize, variance: usize, y: usize, scratch: usize,
  batch: i32, mid: i32, chans: i32, eps: f32, seed: u32, stream: u32, step: u32, keepBelow: u32, scale: f32,
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
  for (let n = 0; n < batch; n++) {
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
