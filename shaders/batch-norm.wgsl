// batch-norm.wgsl: BatchNorm over every axis but the last (channels-last, Keras semantics); the per-element and
// partial-sum passes of forwardTrain, forwardInference, backward and the running-statistics update.
// x is seen as (N, C): N = rows = numElements / C, statistics per channel c over the N rows.
//   μ = Σ x / N,  σ² = Σ (x − μ)² / N  (biased, two passes: the mean first, then squares of deviations from it)
//   partialSquares:   sq[k, c]       = Σ_{r in chunk k} (x[r, c] − μ[c])²
//   normalize:        y[r, c]        = γ[c] · (x[r, c] − μ[c]) · s[c] + β[c],  s = 1 / sqrt(σ² + eps)
//                                      (training: batch μ, σ²; inference: the running statistics)
//   partialGradients: dyPart[k, c]   = Σ_{r in chunk k} dy[r, c]
//                     dyXhatPart[k,c] = Σ_{r in chunk k} dy[r, c] · x̂[r, c],  x̂ = (x − μ) · s
//   backwardInput:    dx[r, c]       = γ[c] · s[c] · (dy[r, c] − dβ[c] / N − x̂[r, c] · dγ[c] / N),
//                                      dβ = Σ dy, dγ = Σ dy · x̂ (the chain rule through μ and σ² folded in)
//   updateRunning:    r_mean = m · r_mean + (1 − m) · μ,  r_var = m · r_var + (1 − m) · σ² · varianceScale
// The host (batch-norm.ts) gets μ with reduce-sum.wgsl over the rows and finishes every chunk partial with
// reduce-sum.wgsl's tree of passes: no invocation adds more than chunkRows terms in f32 and the long sums
// (N = B·T·F ≈ 470k at batch 64) run on thousands of invocations; the order of additions depends on the shapes
// alone. Work split: invocation idx = k · C + c owns channel c in the rows of chunk k (chunkRows long: long
// chunks for the partial sums, short strips for the per-element passes, so one index division and one set of
// per-channel loads serve several elements); updateRunning runs one invocation per channel. No workgroup memory
// (llvmpipe runs barrier kernels 2–10× slower, WebGPU runbook pitfall 6). Adjacent invocations take adjacent
// channels, so their loads are adjacent in memory.
// Bindings are numbered so that a tensor read by several entry points keeps its number: x 1, mean 2,
// variance 3, gamma 5 (dy 4 in the backward passes); the rest are each entry point's own.
struct Params {
  rows: u32,            // N, the rows each channel's statistics run over
  chans: u32,           // C, the last axis
  chunkRows: u32,       // rows one invocation handles (1 in updateRunning)
  chunks: u32,          // ceil(rows / chunkRows); partial passes: the outer axis of their outputs
  eps: f32,             // normalize, partialGradients, backwardInput: added to σ² under the root
  momentum: f32,        // updateRunning: weight of the old running value
  complement: f32,      // updateRunning: 1 − momentum from the host's float64 (f32 1 − f32(0.99) is 9.5e-7 off)
  varianceScale: f32,   // updateRunning: N / (N − 1) for Keras's unbiased 4-D running variance, else 1
  total: u32,           // invocations: chunks · C
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// The flat invocation index, rebuilt from the 2-D dispatch (dispatch-size.ts splits above 65535 workgroups over y).
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

// Channel c and rows [first, end) of chunk k (the last chunk may be short), for invocation idx = k · C + c.
struct Strip { c: u32, first: u32, end: u32 }
fn strip(idx: u32) -> Strip {
  let first = (idx / p.chans) * p.chunkRows;
  return Strip(idx % p.chans, first, min(first + p.chunkRows, p.rows));
}

// partialSquares: x 1, mean 2, sq 3.
@group(0) @binding(1) var<storage, read> x: array<f32>;           // (N, C)
@group(0) @binding(2) var<storage, read> mean: array<f32>;        // (C): μ, or the running mean in inference
@group(0) @binding(3) var<storage, read_write> sq: array<f32>;    // (chunks, C)

// The reciprocal standard deviation s[c] = 1 / sqrt(σ²[c] + eps).
fn invStd(c: u32) -> f32 {
  return inverseSqrt(variance[c] + p.eps);
}

@compute @workgroup_size(WG)
fn partialSquares(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  let st = strip(idx);
  let mu = mean[st.c];
  var acc = 0.0;
  for (var r = st.first; r < st.end; r++) {
    let d = x[r * p.chans + st.c] - mu;
    acc += d * d;
  }
  sq[idx] = acc;
}

// normalize: x 1, mean 2 as above; variance 3, beta 4, gamma 5, y 6.
@group(0) @binding(3) var<storage, read> variance: array<f32>;    // (C): σ², or the running variance in inference
@group(0) @binding(4) var<storage, read> beta: array<f32>;        // (C)
@group(0) @binding(5) var<storage, read> gamma: array<f32>;       // (C)
@group(0) @binding(6) var<storage, read_write> y: array<f32>;     // (N, C)

@compute @workgroup_size(WG)
fn normalize(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  let st = strip(idx);
  let mu = mean[st.c];
  let a = gamma[st.c] * invStd(st.c);
  let b = beta[st.c];
  for (var r = st.first; r < st.end; r++) {
    let at = r * p.chans + st.c;
    y[at] = (x[at] - mu) * a + b;
  }
}

// partialGradients: x 1, mean 2, variance 3 as above; dy 4, dyPart 5, dyXhatPart 6.
@group(0) @binding(4) var<storage, read> dy: array<f32>;                  // (N, C)
@group(0) @binding(5) var<storage, read_write> dyPart: array<f32>;        // (chunks, C)
@group(0) @binding(6) var<storage, read_write> dyXhatPart: array<f32>;    // (chunks, C)

@compute @workgroup_size(WG)
fn partialGradients(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  let st = strip(idx);
  let mu = mean[st.c];
  var sumDy = 0.0;
  var sumDyCentered = 0.0;  // Σ dy · (x − μ); times s once at the end gives Σ dy · x̂
  for (var r = st.first; r < st.end; r++) {
    let at = r * p.chans + st.c;
    sumDy += dy[at];
    sumDyCentered += dy[at] * (x[at] - mu);
  }
  dyPart[idx] = sumDy;
  dyXhatPart[idx] = sumDyCentered * invStd(st.c);
}

// backwardInput: x 1, mean 2, variance 3, dy 4, gamma 5 as above; dgamma 6, dbeta 7, dx 8.
@group(0) @binding(6) var<storage, read> dgamma: array<f32>;      // (C): Σ dy · x̂
@group(0) @binding(7) var<storage, read> dbeta: array<f32>;       // (C): Σ dy
@group(0) @binding(8) var<storage, read_write> dx: array<f32>;    // (N, C)

@compute @workgroup_size(WG)
fn backwardInput(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  let st = strip(idx);
  let mu = mean[st.c];
  let inv = invStd(st.c);
  let rows = f32(p.rows);  // exact: N < 2^24
  // dx = γ·s·(dy − dβ/N − (x − μ)·s·dγ/N), with the per-channel factors taken out of the loop.
  let a = gamma[st.c] * inv;
  let meanDy = dbeta[st.c] / rows;
  let slope = inv * dgamma[st.c] / rows;
  for (var r = st.first; r < st.end; r++) {
    let at = r * p.chans + st.c;
    dx[at] = a * (dy[at] - meanDy - (x[at] - mu) * slope);
  }
}

// updateRunning, in place: the batch statistics at 1 and 2, the running ones (read and written) at 3 and 4.
@group(0) @binding(1) var<storage, read> batchMean: array<f32>;          // (C)
@group(0) @binding(2) var<storage, read> batchVariance: array<f32>;      // (C)
@group(0) @binding(3) var<storage, read_write> runningMean: array<f32>;  // (C)
@group(0) @binding(4) var<storage, read_write> runningVar: array<f32>;   // (C)

@compute @workgroup_size(WG)
fn updateRunning(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let c = flatIndex(gid, n);
  if (c >= p.total) { return; }
  runningMean[c] = p.momentum * runningMean[c] + p.complement * batchMean[c];
  runningVar[c] = p.momentum * runningVar[c] + p.complement * batchVariance[c] * p.varianceScale;
}
