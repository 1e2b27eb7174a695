// spatial-dropout.wgsl: Keras SpatialDropout1D/2D, one keep/drop per (sample, channel); forward only (the
// backward pass is this kernel applied to dy: same counters, same mask, same scale).
// x seen as (B, M, C) (M = the middle axes): y[b,m,c] = keep(b,c) ? x[b,m,c] · scale : 0, where
// keep(b,c) ⇔ counterHash(seed, stream, step, b, c) < keepBelow, bit for bit the u32 hash of src/runtime/random.ts.
// One invocation per (b, row chunk k, c), c fastest: it hashes once and writes the `chunkRows` rows m of chunk k,
// so the 5-hash chain is paid per chunk, not per element, and neighbouring invocations touch neighbouring addresses.
// When each slab x[b] is whole vec4s (M·C a multiple of 4, as everywhere in the network), forwardVec4 takes over and
// walks each slab channel-aligned (src/backends/webgpu/channel-walk.ts): invocation (b, j), j < stride (a multiple
// of C), visits vec4s j, j + stride, … of slab b, whose lane k always holds channel (4j + k) mod C; it hashes its four
// channels once. On llvmpipe that is ~2× faster than the scalar column walk.
// normalizedVec4: the BN → ReLU → dropout tail of a layer in one pass (batch-norm.ts forwardTrain with a dropout
// tail), the vec4 walk above with f(x) = max(γ[c] · s[c] · (x − μ[c]) + β[c], 0), s = 1 / sqrt(σ² + eps): the f32
// operations of batch-norm.wgsl `normalize` then reluForward, without writing and reading the normalized tensor.
// reluBackward: dx[i] = y[i] > 0 ? dy[i] · scale : 0 from the fused output y (y > 0 ⇔ kept and x > 0; no hashing),
// elementwise as relu.wgsl: vec4s grid-stride, `reluBackwardTail` for the last total % 4 elements.
// Fusing removes the separate ReLU passes over the (B, T, F, C) activations: at batch 64 on llvmpipe those took
// ~15 ms forward and ~20 ms backward per TF path (relu.forward / relu.backward in `msse inspect --ops --train`).
// Flat indices: the host splits dispatches above 65535 workgroups over y (dispatch-size.ts).
struct Params {
  total: u32,      // invocations: B · chunks · C (forwardVec4: B · stride; reluBackward: elements)
  mid: u32,        // M
  chans: u32,      // C
  chunkRows: u32,  // rows m per invocation
  chunks: u32,     // ceil(M / chunkRows)
  seed: u32,       // run seed
  stream: u32,     // id of the dropout layer
  step: u32,       // training step
  keepBelow: u32,  // keep when the hash is below this: round((1 − rate) · 2^32), at most 2^32 − 1
  scale: f32,      // 1 / (1 − rate)
  vectors: u32,    // forwardVec4: whole vec4s per slab, M · C / 4; reluBackward: floor(total / 4)
  stride: u32,     // forwardVec4: invocations per slab, a multiple of C; reluBackward: its invocations
  relu: u32,       // forward, forwardVec4: 1 to take max(x, 0) before the mask
  eps: f32,        // normalizedVec4: added to σ² under the root
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// The flat invocation index, rebuilt from the 2-D dispatch.
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

// lowbias32 (Chris Wellons' hash-prospector), as lowbias32 in src/runtime/random.ts; u32 `*` wraps like Math.imul.
fn lowbias32(value: u32) -> u32 {
  var x = value;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}

// counterHash of src/runtime/random.ts: lowbias32(seed), then chained over stream, step, i, j.
fn counterHash(seed: u32, stream: u32, step: u32, i: u32, j: u32) -> u32 {
  var h = lowbias32(seed);
  h = lowbias32(h ^ stream);
  h = lowbias32(h ^ step);
  h = lowbias32(h ^ i);
  return lowbias32(h ^ j);
}

// f: the ReLU of the fused layer tail, or the identity.
fn activation4(x: vec4f) -> vec4f {
  return select(x, max(x, vec4f(0.0)), p.relu == 1u);
}
fn activation(x: f32) -> f32 {
  return activation4(vec4f(x)).x;
}

// Whether sample b keeps channel c.
fn keeps(b: u32, c: u32) -> bool {
  return counterHash(p.seed, p.stream, p.step, b, c) < p.keepBelow;
}

@group(0) @binding(1) var<storage, read> x: array<f32>;        // (B, M, C)
@group(0) @binding(2) var<storage, read_write> y: array<f32>;  // (B, M, C)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let c = i % p.chans;
  let k = (i / p.chans) % p.chunks;
  let b = i / (p.chans * p.chunks);
  let keep = keeps(b, c);
  let m0 = k * p.chunkRows;
  let m1 = min(m0 + p.chunkRows, p.mid);
  for (var m = m0; m < m1; m++) {
    let j = (b * p.mid + m) * p.chans + c;
    y[j] = select(0.0, activation(x[j]) * p.scale, keep);  // a dropped inf or NaN gives 0, as in the reference
  }
}

@group(0) @binding(1) var<storage, read> x4: array<vec4f>;        // (B, M · C / 4)
@group(0) @binding(2) var<storage, read_write> y4: array<vec4f>;  // (B, M · C / 4)

// The vec4 walks: slab b and position j of invocation i, the channels of j's lanes, whether sample b keeps them,
// and the slab's first vec4.
struct Walk { b: u32, j: u32, ch: vec4u, keep: vec4<bool>, base: u32 }
fn walk(i: u32) -> Walk {
  let b = i / p.stride;
  let j = i % p.stride;
  let ch = (4u * (j % p.chans) + vec4u(0u, 1u, 2u, 3u)) % p.chans;
  let keep = vec4<bool>(keeps(b, ch.x), keeps(b, ch.y), keeps(b, ch.z), keeps(b, ch.w));
  return Walk(b, j, ch, keep, b * p.vectors);
}

@compute @workgroup_size(WG)
fn forwardVec4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let w = walk(i);
  for (var v = w.j; v < p.vectors; v += p.stride) {
    y4[w.base + v] = select(vec4f(0.0), activation4(x4[w.base + v]) * p.scale, w.keep);  // dropped inf, NaN give 0
  }
}

// normalizedVec4: x at 1 as in forwardVec4; BatchNorm's batch mean 2, variance 3, beta 4, gamma 5 (C each), y 6.
@group(0) @binding(2) var<storage, read> bnMean: array<f32>;
@group(0) @binding(3) var<storage, read> bnVariance: array<f32>;
@group(0) @binding(4) var<storage, read> bnBeta: array<f32>;
@group(0) @binding(5) var<storage, read> bnGamma: array<f32>;
@group(0) @binding(6) var<storage, read_write> yNormalized4: array<vec4f>;  // (B, M · C / 4)

@compute @workgroup_size(WG)
fn normalizedVec4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let w = walk(i);
  let ch = w.ch;
  let mu = vec4f(bnMean[ch.x], bnMean[ch.y], bnMean[ch.z], bnMean[ch.w]);
  let variance = vec4f(bnVariance[ch.x], bnVariance[ch.y], bnVariance[ch.z], bnVariance[ch.w]);
  let a = vec4f(bnGamma[ch.x], bnGamma[ch.y], bnGamma[ch.z], bnGamma[ch.w]) * inverseSqrt(variance + p.eps);
  let beta = vec4f(bnBeta[ch.x], bnBeta[ch.y], bnBeta[ch.z], bnBeta[ch.w]);
  for (var v = w.j; v < p.vectors; v += p.stride) {
    let normalized = (x4[w.base + v] - mu) * a + beta;
    yNormalized4[w.base + v] = select(vec4f(0.0), max(normalized, vec4f(0.0)) * p.scale, w.keep);
  }
}

// reluBackward: dy at 1, y at 2, dx at 3, as vec4s; reluBackwardTail: the same as scalars.
@group(0) @binding(1) var<storage, read> dy4: array<vec4f>;          // (total / 4)
@group(0) @binding(2) var<storage, read> yFused4: array<vec4f>;      // (total / 4): reluForward's output
@group(0) @binding(3) var<storage, read_write> dx4: array<vec4f>;    // (total / 4)

fn reluGrad(dy: vec4f, y: vec4f) -> vec4f {
  return select(vec4f(0.0), dy * p.scale, y > vec4f(0.0));
}

@compute @workgroup_size(WG)
fn reluBackward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let j = flatIndex(gid, n);
  if (j >= p.stride) { return; }
  for (var v = j; v < p.vectors; v += p.stride) { dx4[v] = reluGrad(dy4[v], yFused4[v]); }
}

@group(0) @binding(1) var<storage, read> dy: array<f32>;         // (total)
@group(0) @binding(2) var<storage, read> yFused: array<f32>;     // (total)
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;   // (total)

@compute @workgroup_size(WG)
fn reluBackwardTail(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = 4u * p.vectors + flatIndex(gid, n);
  if (i >= p.total) { return; }
  dx[i] = reluGrad(vec4f(dy[i]), vec4f(yFused[i])).x;
}
