// tab-inference.wgsl: the temporal-aware blocks at inference (BatchNorm folded into each causal conv), both
// directions in one dispatch (n = d·B + b, weights (2, …) per direction):
//   first:  a[n,t,o]   = relu(b1[d,o] + Σ_{i,k} w1[d,o,i,k] · h[n, t − (K−1−k)·dil, i])
//   second: out[n,t,o] = h[n,t,o] · sigmoid(relu(b2[d,o] + Σ_{i,k} w2[d,o,i,k] · a[n, t − (K−1−k)·dil, i]))
//           and the same value into stack[block, n, t, o], the TAB's contribution to the time-pooled sum
//   pool:   z[b,c]     = Σ_j wsum[j] · (1/T) Σ_t (stack[j,b,t,c] + stack[j,B+b,t,c])   (mean over time of fwd + bwd,
//           then the head's learned weighted sum)
// h, a = 0 before t = 0 (causal left padding); tap 0 is the oldest. Weights come packed (2, K, C, C4), C4 = ⌈C/4⌉
// (vec4s of 4 output channels, zero-padded), so one load gives 4 channels' weight. Work split: first and second,
// one invocation per (n, SPAN steps, CHANNELS output channels), 8 vec4 sums; pool, one invocation per (b, c). No
// workgroup memory (llvmpipe: WebGPU runbook, pitfall 6).
struct Params {
  batch: u32,     // B, samples per direction
  time: u32,      // T
  chans: u32,     // C (in = out)
  taps: u32,      // K
  dilation: u32,  // 2^j
  block: u32,     // second: j, the stack slice written; pool: number of blocks
  total: u32,     // invocations of this dispatch
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts

const LANES = vec4u(0u, 1u, 2u, 3u);

fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

// Time steps × output channels per first/second invocation: SPAN steps × 2 vec4s of channels, 32 sums; per (k, i)
// two weight vec4 loads and SPAN src loads serve 32 multiply-adds (4 × 4 ran ~1.4× slower at batch 1).
const SPAN: u32 = 4u;
const CHANNELS: u32 = 8u;

@group(0) @binding(1) var<storage, read> src: array<f32>;          // (2B, T, C): first h, second a
@group(0) @binding(2) var<storage, read> cw: array<vec4f>;         // (2, K, C, C4): w[d,o,i,k] at [d,k,i,o], o padded with 0
@group(0) @binding(3) var<storage, read> cb: array<f32>;           // (2, C)

// A first/second tile: sample n, steps t0 … t0 + SPAN − 1, output channels o0 … o0 + CHANNELS − 1.
struct Tile {
  n: u32,
  t0: u32,
  o0: u32,
}

fn tileOf(i: u32) -> Tile {
  let oTiles = (p.chans + CHANNELS - 1u) / CHANNELS;
  let tTiles = (p.time + SPAN - 1u) / SPAN;
  return Tile(i / (oTiles * tTiles), i / oTiles % tTiles * SPAN, i % oTiles * CHANNELS);
}

fn biasAt(bo: u32, o0: u32) -> vec4f {
  let oc = min(vec4u(o0) + LANES, vec4u(p.chans - 1u));
  return vec4f(cb[bo + oc.x], cb[bo + oc.y], cb[bo + oc.z], cb[bo + oc.w]);
}

// relu(bias + dilated causal conv of src) at the tile's SPAN steps × CHANNELS channels: acc[2j] channels o0 … o0 + 3
// of step j, acc[2j + 1] the next 4 (lanes past C hold garbage that the callers do not store).
fn convRelu(tile: Tile) -> array<vec4f, 8> {
  let d = tile.n / p.batch;
  let c4 = (p.chans + 3u) / 4u;
  let bo = d * p.chans;
  let lo = biasAt(bo, tile.o0);
  let hi = biasAt(bo, tile.o0 + 4u);
  var acc = array<vec4f, 8>(lo, hi, lo, hi, lo, hi, lo, hi);
  // A vec4 index past the padded channels (C ≤ o0 + 4) is clamped to the last one; its lanes are not stored.
  let v1 = min(tile.o0 / 4u + 1u, c4 - 1u) - tile.o0 / 4u;
  for (var k = 0u; k < p.taps; k++) {
    let back = i32((p.taps - 1u - k) * p.dilation);
    let start = i32(tile.t0) - back;
    if (start + i32(SPAN) <= 0) { continue; }                      // every step reads before t = 0
    var rows: array<u32, 4>;
    var live: vec4f;
    for (var j = 0u; j < SPAN; j++) {
      let ts = start + i32(j);
      live[j] = select(0.0, 1.0, ts >= 0 && ts < i32(p.time));
      rows[j] = (tile.n * p.time + u32(clamp(ts, 0, i32(p.time) - 1))) * p.chans;
    }
    let wk = ((d * p.taps + k) * p.chans) * c4 + tile.o0 / 4u;
    for (var i = 0u; i < p.chans; i++) {
      let w0 = cw[wk + i * c4];
      let w1 = cw[wk + i * c4 + v1];
      let v = live * vec4f(src[rows[0] + i], src[rows[1] + i], src[rows[2] + i], src[rows[3] + i]);
      acc[0] += v.x * w0;
      acc[1] += v.x * w1;
      acc[2] += v.y * w0;
      acc[3] += v.y * w1;
      acc[4] += v.z * w0;
      acc[5] += v.z * w1;
      acc[6] += v.w * w0;
      acc[7] += v.w * w1;
    }
  }
  for (var q = 0u; q < 8u; q++) { acc[q] = max(acc[q], vec4f(0.0)); }
  return acc;
}

@group(0) @binding(4) var<storage, read_write> act: array<f32>;    // first: a (2B, T, C)

@compute @workgroup_size(WG)
fn first(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatIndex(gid, nw);
  if (i >= p.total) { return; }
  let tile = tileOf(i);
  let a = convRelu(tile);
  for (var j = 0u; j < SPAN; j++) {
    let t = tile.t0 + j;
    let out = (tile.n * p.time + t) * p.chans + tile.o0;
    for (var c = 0u; c < CHANNELS; c++) {
      if (t < p.time && tile.o0 + c < p.chans) { act[out + c] = a[2u * j + c / 4u][c % 4u]; }
    }
  }
}

@group(0) @binding(4) var<storage, read> h: array<f32>;              // second: the TAB's input (2B, T, C)
@group(0) @binding(5) var<storage, read_write> y: array<f32>;        // second: out (2B, T, C)
@group(0) @binding(6) var<storage, read_write> stack: array<f32>;    // second: (blocks, 2B, T, C)

@compute @workgroup_size(WG)
fn second(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatIndex(gid, nw);
  if (i >= p.total) { return; }
  let tile = tileOf(i);
  let g = convRelu(tile);
  let slice = p.block * 2u * p.batch * p.time * p.chans;
  for (var j = 0u; j < SPAN; j++) {
    let t = tile.t0 + j;
    let out = (tile.n * p.time + t) * p.chans + tile.o0;
    for (var c = 0u; c < CHANNELS; c++) {
      if (t < p.time && tile.o0 + c < p.chans) {
        let v = h[out + c] / (1.0 + exp(-g[2u * j + c / 4u][c % 4u]));
        y[out + c] = v;
        stack[slice + out + c] = v;
      }
    }
  }
}

@group(0) @binding(1) var<storage, read> pooled: array<f32>;         // pool: stack (blocks, 2B, T, C)
@group(0) @binding(2) var<storage, read> wsum: array<f32>;           // pool: (blocks)
@group(0) @binding(3) var<storage, read_write> z: array<f32>;        // pool: (B, C)

@compute @workgroup_size(WG)
fn pool(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatIndex(gid, nw);
  if (i >= p.total) { return; }
  let c = i % p.chans;
  let b = i / p.chans;
  let sample = p.time * p.chans;
  var sum = 0.0;
  for (var j = 0u; j < p.block; j++) {
    let fwd = (j * 2u * p.batch + b) * sample + c;
    let bwd = fwd + p.batch * sample;
    var g = 0.0;
    for (var t = 0u; t < p.time; t++) { g += pooled[fwd + t * p.chans] + pooled[bwd + t * p.chans]; }
    sum += wsum[j] * (g / f32(p.time));
  }
  z[i] = sum;
}
