// conv1d-causal.wgsl: causal dilated Conv1D of the TABs; forward, backwardInput, backwardWeight (partial sums).
// x (B, T, Cin), w (Cout, Cin, K), bias (Cout); tap k looks lag(k) = (K − 1 − k) · dilation steps back (tap 0 the
// oldest), x = 0 before t = 0 (left zero padding):
//   forward:        y[b,t,o]        = bias[o] + Σ_k Σ_i w[o,i,k] · x[b, t − lag(k), i]
//   backwardInput:  dx[b,s,i]       = Σ_k Σ_o dy[b, s + lag(k), o] · w[o,i,k]            (terms with s + lag(k) < T)
//   backwardWeight: dwPart[c,o,i,k] = Σ_{r in chunk c} dy[r, o] · x[r − lag(k), i]   (rows r = b·T + t, t ≥ lag(k))
// The host (conv1d-causal.ts) finishes dw = Σ_c dwPart with reduce-sum.wgsl's tree of passes: the B·T rows
// (12k at batch 64) are cut into chunks of chunkRows, so no invocation adds more than chunkRows terms in f32 and
// the 200 weight tiles of a TAB conv (39 × 39 × 2) run as 47 × 200 invocations at batch 64, not 200.
// Work split: each invocation owns a 4 × 4 register tile (TILE, one vec4f accumulator per row of it):
// forward 4 times × 4 output channels, backwardInput 4 times × 4 input channels, backwardWeight 4 output × 4 input
// channels of one tap. Per step of the sum it loads 4 + 4 values for 16 multiply-adds; one output per invocation
// would load 2 per multiply-add. No workgroup memory: llvmpipe runs barrier kernels 2–10× slower than
// register-only ones (WebGPU runbook, pitfall 6). Tiles that overhang T or a channel axis load clamped, in-bounds
// elements and skip those stores, so every output element is written by exactly one invocation.
struct Params {
  time: u32,       // T
  cin: u32,        // input channels
  cout: u32,       // output channels
  taps: u32,       // K
  dilation: u32,   // d
  rows: u32,       // B · T, the rows backwardWeight sums over
  chunkRows: u32,  // backwardWeight: rows summed by one invocation
  chunks: u32,     // backwardWeight: ceil(rows / chunkRows), the outer axis of dwPart
  total: u32,      // invocations: forward B·⌈T/4⌉·⌈Cout/4⌉, backwardInput B·⌈T/4⌉·⌈Cin/4⌉,
                   // backwardWeight chunks·K·⌈Cout/4⌉·⌈Cin/4⌉
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

const TILE = 4u;  // tile edge: the lanes of a vec4f

// The flat invocation index, rebuilt from the 2-D dispatch (dispatch-size.ts splits above 65535 workgroups over y).
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

// Tiles along an axis of `size` elements.
fn tiles(size: u32) -> u32 {
  return (size + TILE - 1u) / TILE;
}

// How far back tap k reads: tap 0 the oldest, tap K − 1 the current step.
fn lag(k: u32) -> u32 {
  return (p.taps - 1u - k) * p.dilation;
}

// The flat index of w[o, i, k], with o and i clamped into range (an overhanging tile reads a real weight and
// discards the product).
fn wAt(o: u32, i: u32, k: u32) -> u32 {
  return (min(o, p.cout - 1u) * p.cin + min(i, p.cin - 1u)) * p.taps + k;
}

// One tile of a (B, T, C) tensor: which sample, first time step and first channel an invocation owns, for
// C = `chans` (time tiles outer, channel tiles inner, so neighbours share the time rows they read).
struct TimeTile { b: u32, t0: u32, c0: u32 }
fn timeTile(idx: u32, chans: u32) -> TimeTile {
  let bt = idx / tiles(chans);
  return TimeTile(bt / tiles(p.time), (bt % tiles(p.time)) * TILE, (idx % tiles(chans)) * TILE);
}

@group(0) @binding(1) var<storage, read> x: array<f32>;          // (B, T, Cin)
@group(0) @binding(2) var<storage, read> w: array<f32>;          // (Cout, Cin, K)
@group(0) @binding(3) var<storage, read> bias: array<f32>;       // (Cout)
@group(0) @binding(4) var<storage, read_write> y: array<f32>;    // (B, T, Cout)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  let tile = timeTile(idx, p.cout);
  let o0 = tile.c0;
  let b0 = vec4f(bias[min(o0, p.cout - 1u)], bias[min(o0 + 1u, p.cout - 1u)], bias[min(o0 + 2u, p.cout - 1u)],
                 bias[min(o0 + 3u, p.cout - 1u)]);
  var acc = array<vec4f, TILE>(b0, b0, b0, b0);  // acc[j]: time t0 + j, output channels o0 … o0 + 3
  for (var k = 0u; k < p.taps; k++) {
    let back = lag(k);
    for (var i = 0u; i < p.cin; i++) {
      let wv = vec4f(w[wAt(o0, i, k)], w[wAt(o0 + 1u, i, k)], w[wAt(o0 + 2u, i, k)], w[wAt(o0 + 3u, i, k)]);
      for (var j = 0u; j < TILE; j++) {
        // x[b, t − back, i], zero before t = 0 and in the tile's overhang past T (read clamped to row 0).
        let t = tile.t0 + j;
        let inside = t >= back && t < p.time;
        let xv = x[(tile.b * p.time + select(0u, t - back, inside)) * p.cin + i];
        acc[j] += select(0.0, xv, inside) * wv;
      }
    }
  }
  for (var j = 0u; j < TILE; j++) {
    let t = tile.t0 + j;
    for (var jo = 0u; jo < TILE; jo++) {
      if (t < p.time && o0 + jo < p.cout) {
        y[(tile.b * p.time + t) * p.cout + o0 + jo] = acc[j][jo];
      }
    }
  }
}

// backwardInput: dy at 1, w at 2 as above, dx at 3.
@group(0) @binding(1) var<storage, read> dy: array<f32>;         // (B, T, Cout)
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;   // (B, T, Cin)

@compute @workgroup_size(WG)
fn backwardInput(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  let tile = timeTile(idx, p.cin);
  let i0 = tile.c0;
  var acc: array<vec4f, TILE>;  // acc[j]: time s0 + j, input channels i0 … i0 + 3 (zero-initialised)
  for (var k = 0u; k < p.taps; k++) {
    let ahead = lag(k);
    for (var o = 0u; o < p.cout; o++) {
      let wv = vec4f(w[wAt(o, i0, k)], w[wAt(o, i0 + 1u, k)], w[wAt(o, i0 + 2u, k)], w[wAt(o, i0 + 3u, k)]);
      for (var j = 0u; j < TILE; j++) {
        // dy[b, s + ahead, o]: the outputs that read x[b, s] through tap k; none at or past T.
        let t = tile.t0 + j + ahead;
        let inside = t < p.time;
        let g = dy[(tile.b * p.time + select(0u, t, inside)) * p.cout + o];
        acc[j] += select(0.0, g, inside) * wv;
      }
    }
  }
  for (var j = 0u; j < TILE; j++) {
    let s = tile.t0 + j;
    for (var ji = 0u; ji < TILE; ji++) {
      if (s < p.time && i0 + ji < p.cin) {
        dx[(tile.b * p.time + s) * p.cin + i0 + ji] = acc[j][ji];
      }
    }
  }
}

// backwardWeight: dy at 1 as above, x at 2, dwPart at 3.
@group(0) @binding(2) var<storage, read> xForDw: array<f32>;      // (B, T, Cin): x, bound second here
@group(0) @binding(3) var<storage, read_write> dwPart: array<f32>; // (chunks, Cout, Cin, K)

// The flat index of element c of row `row` of a (rows, chans) tensor, c clamped into range like wAt's.
fn rowAt(row: u32, c: u32, chans: u32) -> u32 {
  return row * chans + min(c, chans - 1u);
}

@compute @workgroup_size(WG)
fn backwardWeight(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  // idx = ((c · K + k) · ⌈Cout/4⌉ + oTile) · ⌈Cin/4⌉ + iTile
  let i0 = (idx % tiles(p.cin)) * TILE;
  let rest = idx / tiles(p.cin);
  let o0 = (rest % tiles(p.cout)) * TILE;
  let ck = rest / tiles(p.cout);
  let k = ck % p.taps;
  let chunk = ck / p.taps;
  let back = lag(k);
  let first = chunk * p.chunkRows;
  let last = min(first + p.chunkRows, p.rows);
  var acc: array<vec4f, TILE>;  // acc[jo]: output channel o0 + jo, input channels i0 … i0 + 3
  var t = first % p.time;       // the time step of row r, stepped along with it
  for (var r = first; r < last; r++) {
    if (t >= back) {
      let g = vec4f(dy[rowAt(r, o0, p.cout)], dy[rowAt(r, o0 + 1u, p.cout)], dy[rowAt(r, o0 + 2u, p.cout)],
                    dy[rowAt(r, o0 + 3u, p.cout)]);
      let src = r - back;  // same sample, since t ≥ back
      let xv = vec4f(xForDw[rowAt(src, i0, p.cin)], xForDw[rowAt(src, i0 + 1u, p.cin)], xForDw[rowAt(src, i0 + 2u, p.cin)],
                     xForDw[rowAt(src, i0 + 3u, p.cin)]);
      for (var jo = 0u; jo < TILE; jo++) {
        acc[jo] += g[jo] * xv;
      }
    }
    t += 1u;
    if (t == p.time) { t = 0u; }
  }
  for (var jo = 0u; jo < TILE; jo++) {
    for (var ji = 0u; ji < TILE; ji++) {
      if (o0 + jo < p.cout && i0 + ji < p.cin) {
        dwPart[((chunk * p.cout + o0 + jo) * p.cin + i0 + ji) * p.taps + k] = acc[jo][ji];
      }
    }
  }
}
