// conv1d-causal.wgsl: causal dilated Conv1D of the TABs; forward, backwardInput, backwardWeight (partial sums),
// and packWeights, the small pass that lays w out for the first two.
// x (B, T, Cin), w (Cout, Cin, K), bias (Cout); tap k looks lag(k) = (K − 1 − k) · dilation steps back (tap 0 the
// oldest), x = 0 before t = 0 (left zero padding):
//   forward:        y[b,t,o]        = bias[o] + Σ_k Σ_i x[b, t − lag(k), i] · w[o,i,k]
//   backwardInput:  dx[b,s,i]       = Σ_k Σ_o dy[b, s + lag(k), o] · w[o,i,k]            (terms with s + lag(k) < T)
//   backwardWeight: dwPart[c,o,i,k] = Σ_{r in chunk c} dy[r, o] · x[r − lag(k), i]   (rows r = b·T + t, t ≥ lag(k))
// The host (conv1d-causal.ts) finishes dw = Σ_c dwPart with reduce-sum.wgsl's tree of passes: the B·T rows
// (12k at batch 64) are cut into chunks of chunkRows, so no invocation adds more than chunkRows terms in f32 and
// a TAB conv's weights (39 × 39 × 2) run as 47 chunks × 50 tiles at batch 64.
//
// Work split. Cost model on llvmpipe (the CPU rasteriser this project trains on): a storage load costs ~10
// multiply-adds whatever its width, so what counts is loads per multiply-add. No workgroup memory: llvmpipe runs
// barrier kernels 2–10× slower than register-only ones (WebGPU runbook, pitfall 6).
// - forward and backwardInput are one sum, tileSums: out[b,t,c] = Σ_k Σ_a src[b, t ∓ lag(k), a] · W_k[a, c], with
//   (src, a, c) = (x, i, o) for forward and (dy, o, i) for backwardInput. One invocation owns SPAN = 4 time steps
//   × LANES = 8 channels (eight vec4 sums); per step of the sum (k, a) it loads 4 src values and 2 vec4 weights
//   for 32 multiply-adds: 0.19 loads per multiply-add (the former 4 × 4 tile with scalar weights: 0.5). The vec4
//   weights come from packWeights' copy wPacked (K, A, ⌈C/4⌉·4), lanes = the tile's channel axis, zero-padded:
//   w's own layout puts those channels Cin·K (or K) floats apart. Channel tiles vary fastest, so neighbouring
//   invocations read the same src value and neighbouring weight vec4s. A tap none of whose 4 steps reads inside
//   [0, T) is skipped (at dilation 128, tap 0 for 128 of 188 steps). packWeights costs ~0.05 ms per call.
// - backwardWeight: one invocation sums a chunk of rows for 4 output × 4 input channels of BOTH taps of a pair
//   (taps 2q, 2q + 1; K = 2 in the network): per row it loads 4 dy values once for both taps and 4 + 4 x values,
//   for 32 multiply-adds (0.38 loads per multiply-add; one tap per invocation loaded 4 + 4 for 16: 0.5).
// Tiles that overhang T or a channel axis load clamped, in-bounds elements and skip those stores, so every output
// element is written by exactly one invocation.
// Measured side by side at batch 64 (x, y (64, 188, 39), K = 2, 73 MFLOP per call) on llvmpipe, old 4 × 4 tiles →
// this file, ms per call incl. packWeights / reduce-sum, median of 5, one run on the loaded 2-core machine, at
// dilations 1 / 8 / 128: forward 16.6 → 9.6 / 16.7 → 9.7 / 16.8 → 6.8 (1.7×, 1.7×, 2.4×), backwardInput
// 16.2 → 9.4 / 16.7 → 9.5 / 16.7 → 6.7 (1.7×, 1.8×, 2.5×), backwardWeight 15.7 → 12.2 / 16.1 → 12.2 / 14.5 → 10.9
// (1.3×). What did not pay: more than 32 sums per invocation (8 steps × 8 channels, 6 × 8, 4 × 12: 1.7–1.9×
// slower than 4 × 8, presumably spilling); one step × 8 channels with the weight tile uniform across the workgroup
// (llvmpipe still pays each load per lane: 2× slower than the old kernel); backwardWeight reading dy and x as
// vec4s from zero-padded (B·T, 40) copies (3 loads per 32 multiply-adds) gained ~10% but the two padding passes
// cost 1.2 ms each.
struct Params {
  time: u32,       // T
  cin: u32,        // input channels
  cout: u32,       // output channels
  taps: u32,       // K
  dilation: u32,   // d
  rows: u32,       // B · T
  chunkRows: u32,  // backwardWeight: rows summed by one invocation
  chunks: u32,     // backwardWeight: ceil(rows / chunkRows), the outer axis of dwPart
  lanes: u32,      // packWeights: the channel axis along wPacked's vec4 lanes, 0 = output (forward), 1 = input
  total: u32,      // invocations: forward B·⌈T/SPAN⌉·⌈Cout/LANES⌉, backwardInput B·⌈T/SPAN⌉·⌈Cin/LANES⌉,
                   // backwardWeight chunks·⌈K/2⌉·⌈Cout/4⌉·⌈Cin/4⌉, packWeights K·A·⌈C/4⌉·4
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

const SPAN = 4u;        // forward, backwardInput: time steps per tile
const VECS = 2u;        // forward, backwardInput: vec4 channel groups per tile
const LANES = 4u * VECS; // forward, backwardInput: channels per tile
const EDGE = 4u;        // backwardWeight: output and input channels per tile (the lanes of a vec4f)

// The flat invocation index, rebuilt from the 2-D dispatch (dispatch-size.ts splits above 65535 workgroups over y).
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

fn ceilDiv(size: u32, part: u32) -> u32 {
  return (size + part - 1u) / part;
}

// How far back tap k reads: tap 0 the oldest, tap K − 1 the current step.
fn lag(k: u32) -> u32 {
  return (p.taps - 1u - k) * p.dilation;
}

// packWeights: w at 1, wPacked at 2.
@group(0) @binding(1) var<storage, read> w: array<f32>;                // (Cout, Cin, K)
@group(0) @binding(2) var<storage, read_write> wPacked: array<f32>;    // (K, A, ⌈C/4⌉·4), see tileSums

@compute @workgroup_size(WG)
fn packWeights(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  // (A, C) = (Cin, Cout) for forward (lanes = 0), (Cout, Cin) for backwardInput (lanes = 1).
  let outputLanes = p.lanes == 0u;
  let across = select(p.cout, p.cin, outputLanes);
  let lanes = select(p.cin, p.cout, outputLanes);
  let padded = ceilDiv(lanes, 4u) * 4u;
  let c = idx % padded;
  let a = (idx / padded) % across;
  let k = idx / (padded * across);
  let o = select(a, c, outputLanes);
  let i = select(c, a, outputLanes);
  wPacked[idx] = select(0.0, w[(min(o, p.cout - 1u) * p.cin + min(i, p.cin - 1u)) * p.taps + k], c < lanes);
}

// forward and backwardInput: the summed tensor at 1, the packed weights at 2.
@group(0) @binding(1) var<storage, read> src: array<f32>;        // (B, T, A): x (forward) or dy (backwardInput)
@group(0) @binding(2) var<storage, read> wv: array<vec4f>;       // (K, A, ⌈C/4⌉): wPacked as vec4s

// One tile of a (B, T, C) output: sample, first time step and first vec4 of channels an invocation owns, for
// C = `chans` (time tiles outer, channel tiles inner, so neighbours share the src rows they read).
struct TimeTile { b: u32, t0: u32, v0: u32 }
fn timeTile(idx: u32, chans: u32) -> TimeTile {
  let chanTiles = ceilDiv(chans, LANES);
  let bt = idx / chanTiles;
  let timeTiles = ceilDiv(p.time, SPAN);
  return TimeTile(bt / timeTiles, (bt % timeTiles) * SPAN, (idx % chanTiles) * VECS);
}

// acc[j·VECS + v][l] = Σ_k Σ_a src[b, t0 + j + dir·lag(k), a] · wPacked[k, a, 4(v0 + v) + l] over the src rows
// inside [0, T) (dir = −1 forward, +1 backwardInput); `across` = A, `lanes` = C.
fn tileSums(tile: TimeTile, dir: i32, across: u32, lanes: u32) -> array<vec4f, SPAN * VECS> {
  let vecs = ceilDiv(lanes, 4u);
  var acc: array<vec4f, SPAN * VECS>;
  for (var k = 0u; k < p.taps; k++) {
    // Per time step: where its src row starts, and 1 or 0 (a step of the zero padding reads row 0, then drops it).
    var start: array<u32, SPAN>;
    var keep: array<f32, SPAN>;
    var anyInside = false;
    for (var j = 0u; j < SPAN; j++) {
      let s = i32(tile.t0 + j) + dir * i32(lag(k));
      let inside = s >= 0 && s < i32(p.time);
      start[j] = (tile.b * p.time + select(0u, u32(s), inside)) * across;
      keep[j] = select(0.0, 1.0, inside);
      anyInside = anyInside || inside;
    }
    if (!anyInside) { continue; }
    let wRow = k * across * vecs;
    for (var a = 0u; a < across; a++) {
      var wq: array<vec4f, VECS>;
      for (var v = 0u; v < VECS; v++) {
        wq[v] = wv[wRow + a * vecs + min(tile.v0 + v, vecs - 1u)];
      }
      for (var j = 0u; j < SPAN; j++) {
        let s = src[start[j] + a] * keep[j];
        for (var v = 0u; v < VECS; v++) {
          acc[j * VECS + v] += s * wq[v];
        }
      }
    }
  }
  return acc;
}

// forward: x at 1 (src), wPacked (lanes = output channels) at 2, bias at 3, y at 4.
@group(0) @binding(3) var<storage, read> bias: array<f32>;       // (Cout)
@group(0) @binding(4) var<storage, read_write> y: array<f32>;    // (B, T, Cout)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  let tile = timeTile(idx, p.cout);
  var acc = tileSums(tile, -1, p.cin, p.cout);
  let o0 = tile.v0 * 4u;
  for (var l = 0u; l < LANES; l++) {
    let o = o0 + l;
    let bo = bias[min(o, p.cout - 1u)];
    for (var j = 0u; j < SPAN; j++) {
      let t = tile.t0 + j;
      if (t < p.time && o < p.cout) {
        y[(tile.b * p.time + t) * p.cout + o] = acc[j * VECS + l / 4u][l % 4u] + bo;
      }
    }
  }
}

// backwardInput: dy at 1 (src), wPacked (lanes = input channels) at 2, dx at 3.
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;   // (B, T, Cin)

@compute @workgroup_size(WG)
fn backwardInput(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  let tile = timeTile(idx, p.cin);
  var acc = tileSums(tile, 1, p.cout, p.cin);
  let i0 = tile.v0 * 4u;
  for (var l = 0u; l < LANES; l++) {
    let i = i0 + l;
    for (var j = 0u; j < SPAN; j++) {
      let s = tile.t0 + j;
      if (s < p.time && i < p.cin) {
        dx[(tile.b * p.time + s) * p.cin + i] = acc[j * VECS + l / 4u][l % 4u];
      }
    }
  }
}

// backwardWeight: dy at 1, x at 2, dwPart at 3.
@group(0) @binding(1) var<storage, read> dy: array<f32>;           // (B, T, Cout)
@group(0) @binding(2) var<storage, read> xForDw: array<f32>;       // (B, T, Cin): x, bound second here
@group(0) @binding(3) var<storage, read_write> dwPart: array<f32>; // (chunks, Cout, Cin, K)

// The flat index of element c of row `row` of a (rows, chans) tensor, c clamped into range (an overhanging tile
// reads a real element and discards the product).
fn rowAt(row: u32, c: u32, chans: u32) -> u32 {
  return row * chans + min(c, chans - 1u);
}

// Four consecutive channels c0 … c0 + 3 of row `row` of x, clamped like rowAt.
fn xQuad(row: u32, c0: u32) -> vec4f {
  return vec4f(xForDw[rowAt(row, c0, p.cin)], xForDw[rowAt(row, c0 + 1u, p.cin)], xForDw[rowAt(row, c0 + 2u, p.cin)],
               xForDw[rowAt(row, c0 + 3u, p.cin)]);
}

@compute @workgroup_size(WG)
fn backwardWeight(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  // idx = ((c · ⌈K/2⌉ + q) · ⌈Cout/4⌉ + oTile) · ⌈Cin/4⌉ + iTile; the pair q holds taps 2q and 2q + 1 (if < K).
  let i0 = (idx % ceilDiv(p.cin, EDGE)) * EDGE;
  let rest = idx / ceilDiv(p.cin, EDGE);
  let o0 = (rest % ceilDiv(p.cout, EDGE)) * EDGE;
  let cq = rest / ceilDiv(p.cout, EDGE);
  let k0 = (cq % ceilDiv(p.taps, 2u)) * 2u;
  let chunk = cq / ceilDiv(p.taps, 2u);
  let pair = k0 + 1u < p.taps;
  let back0 = lag(k0);
  let back1 = select(0u, lag(k0 + 1u), pair);
  let first = chunk * p.chunkRows;
  let last = min(first + p.chunkRows, p.rows);
  var acc0: array<vec4f, EDGE>;  // acc0[jo]: tap k0, output channel o0 + jo, input channels i0 … i0 + 3
  var acc1: array<vec4f, EDGE>;  // the same for tap k0 + 1
  var t = first % p.time;        // the time step of row r, stepped along with it
  for (var r = first; r < last; r++) {
    // back1 < back0: where tap k0 sees x, so does tap k0 + 1.
    if (t >= back1) {
      let g = vec4f(dy[rowAt(r, o0, p.cout)], dy[rowAt(r, o0 + 1u, p.cout)], dy[rowAt(r, o0 + 2u, p.cout)],
                    dy[rowAt(r, o0 + 3u, p.cout)]);
      if (pair) {
        let x1 = xQuad(r - back1, i0);  // same sample, since t ≥ back1
        for (var jo = 0u; jo < EDGE; jo++) {
          acc1[jo] += g[jo] * x1;
        }
      }
      if (t >= back0) {
        let x0 = xQuad(r - back0, i0);
        for (var jo = 0u; jo < EDGE; jo++) {
          acc0[jo] += g[jo] * x0;
        }
      }
    }
    t += 1u;
    if (t == p.time) { t = 0u; }
  }
  for (var jo = 0u; jo < EDGE; jo++) {
    for (var ji = 0u; ji < EDGE; ji++) {
      if (o0 + jo < p.cout && i0 + ji < p.cin) {
        let at = ((chunk * p.cout + o0 + jo) * p.cin + i0 + ji) * p.taps + k0;
        dwPart[at] = acc0[jo][ji];
        if (pair) { dwPart[at + 1u] = acc1[jo][ji]; }
      }
    }
  }
}
