// spatial-dropout.wgsl: Keras SpatialDropout1D/2D, one keep/drop per (sample, channel); forward only (the
// backward pass is this kernel applied to dy: same counters, same mask, same scale).
// x seen as (B, M, C) (M = the middle axes): y[b,m,c] = keep(b,c) ? x[b,m,c] · scale : 0, where
// keep(b,c) ⇔ counterHash(seed, stream, step, b, c) < keepBelow, bit for bit the u32 hash of src/runtime/random.ts.
// One invocation per (b, row chunk k, c), c fastest: it hashes once and writes the `chunkRows` rows m of chunk k,
// so the 5-hash chain is paid per chunk, not per element, and neighbouring invocations touch neighbouring addresses.
// Flat indices: the host splits dispatches above 65535 workgroups over y (dispatch-size.ts).
struct Params {
  total: u32,      // invocations: B · chunks · C
  mid: u32,        // M
  chans: u32,      // C
  chunkRows: u32,  // rows m per invocation
  chunks: u32,     // ceil(M / chunkRows)
  seed: u32,       // run seed
  stream: u32,     // id of the dropout layer
  step: u32,       // training step
  keepBelow: u32,  // keep when the hash is below this: round((1 − rate) · 2^32), at most 2^32 − 1
  scale: f32,      // 1 / (1 − rate)
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

@group(0) @binding(1) var<storage, read> x: array<f32>;        // (B, M, C)
@group(0) @binding(2) var<storage, read_write> y: array<f32>;  // (B, M, C)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let c = i % p.chans;
  let k = (i / p.chans) % p.chunks;
  let b = i / (p.chans * p.chunks);
  let keep = counterHash(p.seed, p.stream, p.step, b, c) < p.keepBelow;
  let m0 = k * p.chunkRows;
  let m1 = min(m0 + p.chunkRows, p.mid);
  for (var m = m0; m < m1; m++) {
    let j = (b * p.mid + m) * p.chans + c;
    y[j] = select(0.0, x[j] * p.scale, keep);  // a dropped inf or NaN gives 0, as in the reference
  }
}
