// tf-path.wgsl: the TF-fusion paths at inference, both directions in one dispatch, never written out. Path p is
//   v_p[n,t,f,c] = relu(bias[d,p,c] + Σ_{i,j} w[d,p,c,i,j] · x_d[b, t+i−padT_p, f+j−padF_p])
// (Conv2D with BatchNorm folded in, then ReLU), n = d·B + b, x_0 = x, x_1 = x reversed in time (the bwd branch),
// x_d = 0 outside the image, TF 'same' padding ⌊(K−1)/2⌋ before. Its two consumers recompute it instead of reading
// a (2B, T, F, C) tensor per path (recomputing costs ≤ 11 multiply-adds per value; writing and reading it back
// costs more on llvmpipe, and at batch 64 one path's tensor nears the 128 MiB binding limit):
//   squeeze:  rowSums[n,u,s,c]   = Σ_p Σ_{t in block u, f in block s} v_p[n,t,f,c]   (SE squeeze sums, SPAN × SPAN blocks)
//   collapse: cat[n,t,p·F+f]     = relu(gateBias[d] + Σ_c gate[n,c] · v_p[n,t,f,c])  (SE-gated 1×1 conv + ReLU)
//             cat[n,t,PATHS·F+f] = x_d[b,t,f]                                     (the skip concatenation)
// Weights w packed (2, Σ_p KH_p·KW_p, C4): one row per tap (path 0's taps row-major, then path 1's, …), the C
// output channels zero-padded to C4 = ⌈C/4⌉ vec4s, so one load gives 4 channels; bias (2, PATHS, C).
// Work split (pathTile): a register tile of SPAN = 8 pixels along the path's slide axis (time for 11×1, frequency
// for 1×9 and 3×3) × 4 channels; per tap one weight vec4 load and one x load for 32 multiply-adds. squeeze: one
// invocation per (n, SPAN × SPAN pixel block, 4 channels); collapse: one per (n, path, tile), looping over the
// channel tiles. One pixel × 4 channels per invocation with the weights in a private array ran 3× slower, and
// tiles along frequency for 11×1 too (9 x loads per 32 multiply-adds) cost about a third more. No workgroup memory (llvmpipe: WebGPU runbook, pitfall 6).
struct Params {
  batch: u32,  // B, samples per direction
  time: u32,   // T
  freq: u32,   // F
  chans: u32,  // C
  kh0: u32,    // (KH, KW) of path 0, 1, 2
  kw0: u32,
  kh1: u32,
  kw1: u32,
  kh2: u32,
  kw2: u32,
  total: u32,  // invocations of this dispatch
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts

// MS-SENet's TF-fusion has three paths (the host checks the config).
const PATHS: u32 = 3u;
const LANES = vec4u(0u, 1u, 2u, 3u);

@group(0) @binding(1) var<storage, read> x: array<f32>;      // (B, T, F)
@group(0) @binding(2) var<storage, read> w: array<vec4f>;    // (2, Σ_p KH_p·KW_p, C4) packed: 4 channels per vec4
@group(0) @binding(3) var<storage, read> bias: array<f32>;   // (2, PATHS, C)

fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

fn kernelOf(path: u32) -> vec2u {
  if (path == 0u) { return vec2u(p.kh0, p.kw0); }
  if (path == 1u) { return vec2u(p.kh1, p.kw1); }
  return vec2u(p.kh2, p.kw2);
}

fn tapsOf(path: u32) -> u32 {
  let k = kernelOf(path);
  return k.x * k.y;
}

// The vec4 index of path `path`'s first tap for channels c0 … c0 + 3 in direction d.
fn weightStart(d: u32, path: u32, c0: u32) -> u32 {
  var row = d * (tapsOf(0u) + tapsOf(1u) + tapsOf(2u));
  for (var q = 0u; q < path; q++) { row += tapsOf(q); }
  return row * ((p.chans + 3u) / 4u) + c0 / 4u;
}

// Start of row t of x_d for direction-stacked sample n (x_1 reads x's rows backwards), or −1 outside [0, T).
fn rowStart(n: u32, t: i32) -> i32 {
  if (t < 0 || t >= i32(p.time)) { return -1; }
  let row = select(u32(t), p.time - 1u - u32(t), n >= p.batch);
  return i32(((n % p.batch) * p.time + row) * p.freq);
}

// x_d at column f of a row from rowStart, 0 in the padding.
fn xAt(row: i32, f: i32) -> f32 {
  let inside = row >= 0 && f >= 0 && f < i32(p.freq);
  return select(0.0, x[u32(max(row, 0) + clamp(f, 0, i32(p.freq) - 1))], inside);
}

fn clamped4(first: u32, count: u32) -> vec4u {
  return min(vec4u(first) + LANES, vec4u(count - 1u));
}

fn biasOf(d: u32, path: u32, ch: vec4u) -> vec4f {
  let bi = (d * PATHS + path) * p.chans;
  return vec4f(bias[bi + ch.x], bias[bi + ch.y], bias[bi + ch.z], bias[bi + ch.w]);
}

// Pixels per tile along its slide axis: each weight vec4 loaded serves SPAN pixels, and the x values slide through
// two vec4 registers (lo, hi) one position per tap, as in conv2d.wgsl's forward.
const SPAN: u32 = 8u;

// A path's tile slides along time when its kernel is taller than wide (11×1), else along frequency (1×9, 3×3), so
// that consecutive taps share all but one x value.
fn slidesAlongTime(path: u32) -> bool {
  let k = kernelOf(path);
  return k.x > k.y;
}

// x_d at slide position s and across position a of a tile sliding along time (along) or frequency.
fn xSlide(n: u32, along: bool, s: i32, a: i32) -> f32 {
  if (along) { return xAt(rowStart(n, s), a); }
  return xAt(rowStart(n, a), s);
}

// v_path (after the ReLU) at SPAN pixels s0 … s0 + 7 along the path's slide axis, at position a across it, of
// sample n, channels c0 … c0 + 3 (lanes and pixels past the end hold values the callers mask).
fn pathTile(n: u32, path: u32, s0: u32, a: u32, c0: u32) -> array<vec4f, 8> {
  let d = n / p.batch;
  let k = kernelOf(path);
  let along = k.x > k.y;
  let slideTaps = select(k.y, k.x, along);
  let acrossTaps = select(k.x, k.y, along);
  let acrossLength = i32(select(p.time, p.freq, along));
  let first = i32(s0) - i32((slideTaps - 1u) / 2u);
  let cTiles = (p.chans + 3u) / 4u;
  let ws = weightStart(d, path, c0);
  let b = biasOf(d, path, clamped4(c0, p.chans));
  var acc = array<vec4f, 8>(b, b, b, b, b, b, b, b);
  for (var ka = 0u; ka < acrossTaps; ka++) {
    let aa = i32(a + ka) - i32((acrossTaps - 1u) / 2u);
    if (aa < 0 || aa >= acrossLength) { continue; }
    var lo = vec4f(xSlide(n, along, first, aa), xSlide(n, along, first + 1, aa), xSlide(n, along, first + 2, aa), xSlide(n, along, first + 3, aa));
    var hi = vec4f(xSlide(n, along, first + 4, aa), xSlide(n, along, first + 5, aa), xSlide(n, along, first + 6, aa), xSlide(n, along, first + 7, aa));
    for (var ks = 0u; ks < slideTaps; ks++) {
      let tap = select(ka * k.y + ks, ks * k.y + ka, along);   // row-major (time tap, frequency tap)
      let wk = w[ws + tap * cTiles];
      acc[0] += lo.x * wk;
      acc[1] += lo.y * wk;
      acc[2] += lo.z * wk;
      acc[3] += lo.w * wk;
      acc[4] += hi.x * wk;
      acc[5] += hi.y * wk;
      acc[6] += hi.z * wk;
      acc[7] += hi.w * wk;
      lo = vec4f(lo.yzw, hi.x);
      hi = vec4f(hi.yzw, xSlide(n, along, first + i32(ks) + 8, aa));
    }
  }
  for (var q = 0u; q < SPAN; q++) { acc[q] = max(acc[q], vec4f(0.0)); }
  return acc;
}

@group(0) @binding(4) var<storage, read_write> rowSums: array<f32>;   // (2B, ⌈T/SPAN⌉, ⌈F/SPAN⌉, C)

// One invocation per (n, block of SPAN × SPAN pixels, 4 channels): the block's sum over every path, as SPAN tiles
// per path along its slide axis.
@compute @workgroup_size(WG)
fn squeeze(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatIndex(gid, nw);
  if (i >= p.total) { return; }
  let cTiles = (p.chans + 3u) / 4u;
  let fBlocks = (p.freq + SPAN - 1u) / SPAN;
  let tBlocks = (p.time + SPAN - 1u) / SPAN;
  let c0 = i % cTiles * 4u;
  let f0 = i / cTiles % fBlocks * SPAN;
  let t0 = i / (cTiles * fBlocks) % tBlocks * SPAN;
  let n = i / (cTiles * fBlocks * tBlocks);
  var sum = vec4f(0.0);
  for (var path = 0u; path < PATHS; path++) {
    let along = slidesAlongTime(path);
    let slide0 = select(f0, t0, along);
    let across0 = select(t0, f0, along);
    let slideLength = select(p.freq, p.time, along);
    let acrossLength = select(p.time, p.freq, along);
    for (var j = 0u; j < SPAN; j++) {
      if (across0 + j >= acrossLength) { break; }
      let v = pathTile(n, path, slide0, across0 + j, c0);
      for (var q = 0u; q < SPAN; q++) {
        if (slide0 + q < slideLength) { sum += v[q]; }
      }
    }
  }
  let out = i / cTiles * p.chans;
  for (var c = 0u; c < 4u; c++) {
    if (c0 + c < p.chans) { rowSums[out + c0 + c] = sum[c]; }
  }
}

@group(0) @binding(4) var<storage, read> gate: array<f32>;             // (2B, C): SE gate ⊙ 1×1 conv weight
@group(0) @binding(5) var<storage, read> gateBias: array<f32>;         // (2): 1×1 conv bias per direction
@group(0) @binding(6) var<storage, read_write> cat: array<f32>;        // (2B, T, (PATHS + 1)·F)

// Tiles of path `path` (PATHS: the skip part, tiled like a path sliding along frequency) in one sample.
fn tilesOf(path: u32) -> u32 {
  if (path < PATHS && slidesAlongTime(path)) { return (p.time + SPAN - 1u) / SPAN * p.freq; }
  return p.time * ((p.freq + SPAN - 1u) / SPAN);
}

// One invocation per (n, path or skip, tile of SPAN pixels along the path's slide axis): the tile's values of every
// channel tile, gated and summed; the skip part copies x_d. A sample's tiles go path by path.
@compute @workgroup_size(WG)
fn collapse(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatIndex(gid, nw);
  if (i >= p.total) { return; }
  let perSample = tilesOf(0u) + tilesOf(1u) + tilesOf(2u) + tilesOf(PATHS);
  let n = i / perSample;
  var r = i % perSample;
  var path = 0u;
  for (; path < PATHS; path++) {
    if (r < tilesOf(path)) { break; }
    r -= tilesOf(path);
  }
  let along = path < PATHS && slidesAlongTime(path);
  let acrossLength = select(p.time, p.freq, along);
  let slideLength = select(p.freq, p.time, along);
  let slide0 = r / acrossLength * SPAN;
  let a = r % acrossLength;
  let width = (PATHS + 1u) * p.freq;
  // cat index of the tile's pixel q: (t, path·F + f) with (t, f) = (slide0 + q, a) along time, (a, slide0 + q) else.
  let base = n * p.time * width + path * p.freq + select(a * width + slide0, slide0 * width + a, along);
  let step = select(1u, width, along);
  if (path == PATHS) {
    let xr = rowStart(n, i32(a));
    for (var q = 0u; q < SPAN; q++) {
      if (slide0 + q < slideLength) { cat[base + q * step] = xAt(xr, i32(slide0 + q)); }
    }
    return;
  }
  var v = array<f32, 8>();
  for (var c0 = 0u; c0 < p.chans; c0 += 4u) {
    let ch = clamped4(c0, p.chans);
    let live = vec4f(vec4u(c0) + LANES < vec4u(p.chans));
    let g = live * vec4f(gate[n * p.chans + ch.x], gate[n * p.chans + ch.y], gate[n * p.chans + ch.z], gate[n * p.chans + ch.w]);
    let tile = pathTile(n, path, slide0, a, c0);
    for (var q = 0u; q < SPAN; q++) { v[q] += dot(g, tile[q]); }
  }
  let gb = gateBias[n / p.batch];
  for (var q = 0u; q < SPAN; q++) {
    if (slide0 + q < slideLength) { cat[base + q * step] = max(v[q] + gb, 0.0); }
  }
}
