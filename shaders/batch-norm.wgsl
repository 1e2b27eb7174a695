// batch-norm.wgsl: BatchNorm over every axis but the last (channels-last, Keras semantics); the per-element and
// partial-sum passes of forwardTrain, forwardInference, backward and the running-statistics update.
// x is seen as (N, C): N = rows = numElements / C, statistics per channel c over the N rows.
//   μ = Σ x / N,  σ² = Σ (x − μ)² / N  (biased, two passes: the mean first, then squares of deviations from it)
//   partialSums:      part[k, c]      = Σ_{r in R(k)} x[r, c]     (the row sets R(k) partition the rows: work split)
//   partialSquares:   sq[k, c]        = Σ_{r in R(k)} (x[r, c] − μ[c])²
//   normalize:        y[r, c]         = γ[c] · (x[r, c] − μ[c]) · s[c] + β[c],  s = 1 / sqrt(σ² + eps)
//                                       (training: batch μ, σ²; inference: the running statistics)
//   partialGradients: dyPart[k, c]    = Σ_{r in R(k)} dy[r, c]
//                     dyXhatPart[k,c] = Σ_{r in R(k)} dy[r, c] · x̂[r, c],  x̂ = (x − μ) · s
//   backwardInput:    dx[r, c]        = γ[c] · s[c] · (dy[r, c] − dβ[c] / N − x̂[r, c] · dγ[c] / N),
//                                       dβ = Σ dy, dγ = Σ dy · x̂ (the chain rule through μ and σ² folded in)
//   updateRunning:    r_mean = m · r_mean + (1 − m) · μ,  r_var = m · r_var + (1 − m) · σ² · varianceScale
// Work split, chosen by measurement on llvmpipe: (1) the (N, C) tensors are read and written as vec4s, since
// llvmpipe pays a per-lane loop for every storage access whatever its width (relu: 2.1× faster so); (2) each
// invocation visits vec4s a long stride apart (grid-stride), never a short one: walking one channel's column
// (stride C) ran 2.5× slower than a grid-stride loop doing the same loads (prefetch-friendly memory order: at
// each step neighbouring invocations touch neighbouring vec4s). C (39) is not a multiple of 4, so vec4s straddle
// rows; but vec4 v holds channels (4v + k) mod C in its lanes k, a pattern that repeats every C vec4s. So the
// stride is a multiple of C: invocation j visits vec4s j, j + stride, … and always sees channels (4j + k) mod C,
// loading its per-channel factors once, as vec4s, with no index division per element.
// A partial pass's invocation j writes its lane sums as vec4 j: `stride` vec4s = (4 · stride / C, C) floats,
// per-channel partials over 4 · stride / C rows (row 4 · (j / C) + (4 · (j % C) + k) / C for lane k).
// The last N·C % 4 elements (none in the network: N = B·T·F or B·T with T = 188) go to the `…Tail` entry points
// on scalar bindings: the per-element ones one invocation per element, the partial ones one invocation per
// channel writing one more partial row (row 4 · stride / C, zero for channels without tail elements).
// The host (batch-norm.ts) finishes every partial with reduce-sum.wgsl's tree of passes: no invocation adds more
// than a few dozen terms per lane in f32, and the order of additions depends on the shapes alone.
// updateRunning: one invocation per channel. No workgroup memory (llvmpipe runs barrier kernels 2–10× slower,
// WebGPU runbook pitfall 6).
// Bindings are numbered so that a tensor read by several entry points keeps its number: x 1, mean 2,
// variance 3, gamma 5 (dy 4 in the backward passes); the rest are each entry point's own.
struct Params {
  rows: u32,            // N, the rows each channel's statistics run over
  chans: u32,           // C, the last axis
  vectors: u32,         // whole vec4s of an (N, C) tensor: floor(N · C / 4)
  elements: u32,        // N · C; the tail entry points take elements [4 · vectors, elements)
  stride: u32,          // invocations of the vec4 entry points, a multiple of C; partials: stride vec4s
  eps: f32,             // normalize, partialGradients, backwardInput: added to σ² under the root
  momentum: f32,        // updateRunning: weight of the old running value
  complement: f32,      // updateRunning: 1 − momentum from the host's float64 (f32 1 − f32(0.99) is 9.5e-7 off)
  varianceScale: f32,   // updateRunning: N / (N − 1) for Keras's unbiased 4-D running variance, else 1
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// The flat invocation index, rebuilt from the 2-D dispatch (dispatch-size.ts splits above 65535 workgroups over y).
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

// The channels of the four lanes of vec4 j (and of j + stride, j + 2 · stride, …: stride is a multiple of C).
fn lanes(j: u32) -> vec4u {
  return (4u * (j % p.chans) + vec4u(0u, 1u, 2u, 3u)) % p.chans;
}

// The element index of a per-element tail invocation: the tail starts after the whole vec4s.
fn tailIndex(gid: vec3u, n: vec3u) -> u32 {
  return 4u * p.vectors + flatIndex(gid, n);
}

// Per-channel values for the four lanes of a vec4 (or one channel splat, in the tails).
fn meanOf(ch: vec4u) -> vec4f {
  return vec4f(mean[ch.x], mean[ch.y], mean[ch.z], mean[ch.w]);
}
// The reciprocal standard deviation s[c] = 1 / sqrt(σ²[c] + eps).
fn invStdOf(ch: vec4u) -> vec4f {
  return inverseSqrt(vec4f(variance[ch.x], variance[ch.y], variance[ch.z], variance[ch.w]) + p.eps);
}

// partialSums: x 1, part 2 (this entry point's own variable on binding 2).
@group(0) @binding(1) var<storage, read> x4: array<vec4f>;          // (N · C / 4)
@group(0) @binding(2) var<storage, read_write> part4: array<vec4f>;  // (stride) vec4s = (4 · stride / C, C)

@compute @workgroup_size(WG)
fn partialSums(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let j = flatIndex(gid, n);
  if (j >= p.stride) { return; }
  var acc = vec4f(0.0);
  for (var v = j; v < p.vectors; v += p.stride) { acc += x4[v]; }
  part4[j] = acc;
}

// partialSquares: x 1, mean 2, sq 3.
@group(0) @binding(2) var<storage, read> mean: array<f32>;          // (C): μ, or the running mean in inference
@group(0) @binding(3) var<storage, read_write> sq4: array<vec4f>;    // (stride) vec4s = (4 · stride / C, C)

@compute @workgroup_size(WG)
fn partialSquares(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let j = flatIndex(gid, n);
  if (j >= p.stride) { return; }
  let mu = meanOf(lanes(j));
  var acc = vec4f(0.0);
  for (var v = j; v < p.vectors; v += p.stride) {
    let d = x4[v] - mu;
    acc += d * d;
  }
  sq4[j] = acc;
}

// normalize: x 1, mean 2 as above; variance 3, beta 4, gamma 5, y 6.
@group(0) @binding(3) var<storage, read> variance: array<f32>;    // (C): σ², or the running variance in inference
@group(0) @binding(4) var<storage, read> beta: array<f32>;        // (C)
@group(0) @binding(5) var<storage, read> gamma: array<f32>;       // (C)
@group(0) @binding(6) var<storage, read_write> y4: array<vec4f>;  // (N · C / 4)

fn gammaOf(ch: vec4u) -> vec4f {
  return vec4f(gamma[ch.x], gamma[ch.y], gamma[ch.z], gamma[ch.w]);
}

// y = (x − μ) · a + b with a = γ · s, b = β: the per-channel factors of normalize.
struct Affine { mu: vec4f, a: vec4f, b: vec4f }
fn affineOf(ch: vec4u) -> Affine {
  return Affine(meanOf(ch), gammaOf(ch) * invStdOf(ch), vec4f(beta[ch.x], beta[ch.y], beta[ch.z], beta[ch.w]));
}

@compute @workgroup_size(WG)
fn normalize(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let j = flatIndex(gid, n);
  if (j >= p.stride) { return; }
  let f = affineOf(lanes(j));
  for (var v = j; v < p.vectors; v += p.stride) { y4[v] = (x4[v] - f.mu) * f.a + f.b; }
}

// partialGradients: x 1, mean 2, variance 3 as above; dy 4, dyPart 5, dyXhatPart 6.
@group(0) @binding(4) var<storage, read> dy4: array<vec4f>;                // (N · C / 4)
@group(0) @binding(5) var<storage, read_write> dyPart4: array<vec4f>;      // (stride) vec4s
@group(0) @binding(6) var<storage, read_write> dyXhatPart4: array<vec4f>;  // (stride) vec4s

@compute @workgroup_size(WG)
fn partialGradients(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let j = flatIndex(gid, n);
  if (j >= p.stride) { return; }
  let ch = lanes(j);
  let mu = meanOf(ch);
  var sumDy = vec4f(0.0);
  var sumDyCentered = vec4f(0.0);  // Σ dy · (x − μ); times s once at the end gives Σ dy · x̂
  for (var v = j; v < p.vectors; v += p.stride) {
    let g = dy4[v];
    sumDy += g;
    sumDyCentered += g * (x4[v] - mu);
  }
  dyPart4[j] = sumDy;
  dyXhatPart4[j] = sumDyCentered * invStdOf(ch);
}

// backwardInput: x 1, mean 2, variance 3, dy 4, gamma 5 as above; dgamma 6, dbeta 7, dx 8.
@group(0) @binding(6) var<storage, read> dgamma: array<f32>;        // (C): Σ dy · x̂
@group(0) @binding(7) var<storage, read> dbeta: array<f32>;         // (C): Σ dy
@group(0) @binding(8) var<storage, read_write> dx4: array<vec4f>;   // (N · C / 4)

// dx = a · (dy − meanDy − (x − μ) · slope) with a = γ · s, meanDy = dβ / N, slope = s · dγ / N.
struct InputGrad { mu: vec4f, a: vec4f, meanDy: vec4f, slope: vec4f }
fn inputGradOf(ch: vec4u) -> InputGrad {
  let inv = invStdOf(ch);
  let rows = f32(p.rows);  // exact: N < 2^24
  let dg = vec4f(dgamma[ch.x], dgamma[ch.y], dgamma[ch.z], dgamma[ch.w]);
  let db = vec4f(dbeta[ch.x], dbeta[ch.y], dbeta[ch.z], dbeta[ch.w]);
  return InputGrad(meanOf(ch), gammaOf(ch) * inv, db / rows, inv * dg / rows);
}

@compute @workgroup_size(WG)
fn backwardInput(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let j = flatIndex(gid, n);
  if (j >= p.stride) { return; }
  let f = inputGradOf(lanes(j));
  for (var v = j; v < p.vectors; v += p.stride) {
    dx4[v] = f.a * (dy4[v] - f.meanDy - (x4[v] - f.mu) * f.slope);
  }
}

// The tails, on scalar views of the same bindings. Per-element tails: element i, channel i % C, through the
// formulas above on splat vec4s. Partial tails: invocation c < C sums the tail elements of channel c into row
// 4 · stride / C of the partials (float index 4 · stride + c).
@group(0) @binding(1) var<storage, read> x: array<f32>;  // (N, C)

fn splat(c: u32) -> vec4u {
  return vec4u(c);
}
fn partialTailIndex(c: u32) -> u32 {
  return 4u * p.stride + c;
}

@group(0) @binding(2) var<storage, read_write> part: array<f32>;  // (4 · stride / C + 1, C)

@compute @workgroup_size(WG)
fn partialSumsTail(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let c = flatIndex(gid, n);
  if (c >= p.chans) { return; }
  var acc = 0.0;
  for (var i = 4u * p.vectors; i < p.elements; i++) {
    if (i % p.chans == c) { acc += x[i]; }
  }
  part[partialTailIndex(c)] = acc;
}

@group(0) @binding(3) var<storage, read_write> sq: array<f32>;  // (4 · stride / C + 1, C)

@compute @workgroup_size(WG)
fn partialSquaresTail(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let c = flatIndex(gid, n);
  if (c >= p.chans) { return; }
  let mu = mean[c];
  var acc = 0.0;
  for (var i = 4u * p.vectors; i < p.elements; i++) {
    if (i % p.chans == c) {
      let d = x[i] - mu;
      acc += d * d;
    }
  }
  sq[partialTailIndex(c)] = acc;
}

@group(0) @binding(6) var<storage, read_write> y: array<f32>;  // (N, C)

@compute @workgroup_size(WG)
fn normalizeTail(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = tailIndex(gid, n);
  if (i >= p.elements) { return; }
  let f = affineOf(splat(i % p.chans));
  y[i] = ((x[i] - f.mu) * f.a + f.b).x;
}

@group(0) @binding(4) var<storage, read> dy: array<f32>;                 // (N, C)
@group(0) @binding(5) var<storage, read_write> dyPart: array<f32>;       // (4 · stride / C + 1, C)
@group(0) @binding(6) var<storage, read_write> dyXhatPart: array<f32>;   // (4 · stride / C + 1, C)

@compute @workgroup_size(WG)
fn partialGradientsTail(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let c = flatIndex(gid, n);
  if (c >= p.chans) { return; }
  let mu = mean[c];
  var sumDy = 0.0;
  var sumDyCentered = 0.0;
  for (var i = 4u * p.vectors; i < p.elements; i++) {
    if (i % p.chans == c) {
      sumDy += dy[i];
      sumDyCentered += dy[i] * (x[i] - mu);
    }
  }
  dyPart[partialTailIndex(c)] = sumDy;
  dyXhatPart[partialTailIndex(c)] = sumDyCentered * invStdOf(splat(c)).x;
}

@group(0) @binding(8) var<storage, read_write> dx: array<f32>;  // (N, C)

@compute @workgroup_size(WG)
fn backwardInputTail(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = tailIndex(gid, n);
  if (i >= p.elements) { return; }
  let f = inputGradOf(splat(i % p.chans));
  dx[i] = (f.a * (dy[i] - f.meanDy - (x[i] - f.mu) * f.slope)).x;
}

// updateRunning, in place: the batch statistics at 1 and 2, the running ones (read and written) at 3 and 4.
@group(0) @binding(1) var<storage, read> batchMean: array<f32>;          // (C)
@group(0) @binding(2) var<storage, read> batchVariance: array<f32>;      // (C)
@group(0) @binding(3) var<storage, read_write> runningMean: array<f32>;  // (C)
@group(0) @binding(4) var<storage, read_write> runningVar: array<f32>;   // (C)

@compute @workgroup_size(WG)
fn updateRunning(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let c = flatIndex(gid, n);
  if (c >= p.chans) { return; }
  runningMean[c] = p.momentum * runningMean[c] + p.complement * batchMean[c];
  runningVar[c] = p.momentum * runningVar[c] + p.complement * batchVariance[c] * p.varianceScale;
}
