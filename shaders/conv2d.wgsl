// conv2d.wgsl: Conv2D from one input channel with TF 'same' zero padding (the TF-fusion paths, kernels 11×1,
// 1×9, 3×3); forward, backwardInput, backwardWeight (two passes: backwardWeightPartial, then dense.wgsl sumChunks).
//   forward:       y[b,t,f,c]  = bias[c] + Σ_{i,j} w[c,0,i,j] · x[b, t+i−padT, f+j−padF]
//   backwardInput: dx[b,t,f]   = Σ_{i,j,c} dy[b, t−i+padT, f−j+padF, c] · w[c,0,i,j]   (outputs inside the image)
//   backwardWeight dw[c,0,i,j] = Σ_{b,t,f} dy[b,t,f,c] · x[b, t+i−padT, f+j−padF]   (taps inside the image)
// x is 0 outside the image; padT = ⌊(KH−1)/2⌋, padF = ⌊(KW−1)/2⌋ (TF 'same': the extra pad of an even kernel
// goes after). Taps k = i·KW + j are the flattened (KH, KW) kernel; a "row" is one (b, t) pair, row = b·T + t.
//
// Work split, register-blocked (no workgroup memory: llvmpipe runs barrier kernels 2–10× slower than
// register-only ones, WebGPU runbook pitfall 6):
// - forward: one invocation per 8 pixels × 4 channels, 32 sums in eight vec4 registers. The 8 pixels lie along
//   the axis of the longer kernel extent (time for 11×1, frequency for 1×9 and 3×3); along it the x taps slide
//   by one position per kernel step, so each step loads 1 x value and 4 weights for 32 multiply-adds (with 4
//   pixels, or sliding along the 1-tap axis of 11×1, it ran up to 1.7× slower on llvmpipe). Channel tiles vary
//   fastest, so neighbouring invocations read the same x.
// - backwardInput: one invocation per input pixel, a serial sum over taps and channels. Only needed when x
//   itself needs a gradient, which the network's input does not.
// - backwardWeightPartial: one invocation per (chunk of rowsPerChunk rows, 4 taps × 4 channels): the reduction
//   over B·T·F (~450k terms at batch 64) is cut into chunks written to partial (chunks, C, KH·KW); dense.wgsl's
//   sumChunks then adds the chunks. Each pixel loads 4 dy and 4 x values for 16 multiply-adds.
struct Params {
  batch: u32,         // B
  time: u32,          // T
  freq: u32,          // F
  chans: u32,         // C, output channels (filters)
  kh: u32,            // KH, kernel extent along time
  kw: u32,            // KW, kernel extent along frequency
  rowsPerChunk: u32,  // backwardWeightPartial: (b, t) rows summed by one chunk
  chunks: u32,        // backwardWeightPartial: ⌈B·T / rowsPerChunk⌉
  total: u32,         // invocations of this dispatch
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// Channels per register tile (one vec4 of sums) and, in backwardWeightPartial, taps per tile.
const TILE: u32 = 4u;
// forward: positions along the slide axis per tile, held in two vec4 windows (lo, hi).
const SPAN: u32 = 8u;
const LANES = vec4u(0u, 1u, 2u, 3u);

// The flat invocation index, rebuilt from the 2-D dispatch (dispatch-size.ts splits over y above 65535 groups).
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

// TF 'same' padding before the first element along an axis with a kernel of `extent` taps.
fn padBefore(extent: u32) -> i32 {
  return i32((extent - 1u) / 2u);
}

fn tiles(count: u32) -> u32 {
  return (count + TILE - 1u) / TILE;
}

// The four indices first, first + 1, … clamped to count − 1, so the loads of a partial tile stay in bounds.
fn clamped4(first: u32, count: u32) -> vec4u {
  return min(vec4u(first) + LANES, vec4u(count - 1u));
}

fn inFreq(f: i32) -> bool {
  return f >= 0 && f < i32(p.freq);
}

@group(0) @binding(1) var<storage, read> x: array<f32>;         // (B, T, F)
@group(0) @binding(2) var<storage, read> w: array<f32>;         // (C, 1, KH, KW)
@group(0) @binding(3) var<storage, read> bias: array<f32>;      // (C)
@group(0) @binding(4) var<storage, read_write> y: array<f32>;   // (B, T, F, C)

// One image axis as the forward tile sees it: its length, its stride between pixels of x, the kernel's extent
// along it, the stride between those taps in w's flattened (KH, KW), and its 'same' padding before.
struct Axis {
  length: u32,
  stride: u32,
  taps: u32,
  tapStride: u32,
  pad: i32,
}

// The forward tile slides along the axis with the longer kernel (time for 11×1, frequency for 1×9 and 3×3), so
// consecutive taps share all but one x value; `across` is the other axis.
fn slideAxis() -> Axis {
  if (p.kh > p.kw) { return Axis(p.time, p.freq, p.kh, p.kw, padBefore(p.kh)); }
  return Axis(p.freq, 1u, p.kw, 1u, padBefore(p.kw));
}

fn acrossAxis() -> Axis {
  if (p.kh > p.kw) { return Axis(p.freq, 1u, p.kw, 1u, padBefore(p.kw)); }
  return Axis(p.time, p.freq, p.kh, p.kw, padBefore(p.kh));
}

// x at position `pos` along `axis` from pixel `start`, or 0 when that position lies in the padding.
fn xAt(start: u32, pos: i32, axis: Axis) -> f32 {
  let inside = pos >= 0 && pos < i32(axis.length);
  return select(0.0, x[start + u32(clamp(pos, 0, i32(axis.length) - 1)) * axis.stride], inside);
}

// Tile: 8 positions s0 … s0 + 7 along the slide axis × 4 channels c0 … c0 + 3 at one position `a` across it.
// acc[q] holds the channels at position s0 + q; (lo, hi) hold x at positions s0 + q + ks − pad of the slide axis,
// q = 0 … 7, and shift by one position per tap.
@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let slide = slideAxis();
  let across = acrossAxis();
  let cTiles = tiles(p.chans);
  let sTiles = (slide.length + SPAN - 1u) / SPAN;
  let c0 = (i % cTiles) * TILE;
  let s0 = (i / cTiles % sTiles) * SPAN;
  let a = i / (cTiles * sTiles) % across.length;
  let image = i / (cTiles * sTiles * across.length) * p.time * p.freq;  // first pixel of sample b
  let ch = clamped4(c0, p.chans);
  let wStart = ch * p.kh * p.kw;
  let b = vec4f(bias[ch.x], bias[ch.y], bias[ch.z], bias[ch.w]);
  var acc = array<vec4f, 8>(b, b, b, b, b, b, b, b);
  for (var ka = 0u; ka < across.taps; ka++) {
    let aa = i32(a + ka) - across.pad;
    if (aa < 0 || aa >= i32(across.length)) { continue; }
    let start = image + u32(aa) * across.stride;
    let first = i32(s0) - slide.pad;
    var lo = vec4f(xAt(start, first, slide), xAt(start, first + 1, slide), xAt(start, first + 2, slide), xAt(start, first + 3, slide));
    var hi = vec4f(xAt(start, first + 4, slide), xAt(start, first + 5, slide), xAt(start, first + 6, slide), xAt(start, first + 7, slide));
    for (var ks = 0u; ks < slide.taps; ks++) {
      let k = ka * across.tapStride + ks * slide.tapStride;
      let wk = vec4f(w[wStart.x + k], w[wStart.y + k], w[wStart.z + k], w[wStart.w + k]);
      acc[0] += lo.x * wk;
      acc[1] += lo.y * wk;
      acc[2] += lo.z * wk;
      acc[3] += lo.w * wk;
      acc[4] += hi.x * wk;
      acc[5] += hi.y * wk;
      acc[6] += hi.z * wk;
      acc[7] += hi.w * wk;
      lo = vec4f(lo.yzw, hi.x);
      hi = vec4f(hi.yzw, xAt(start, first + i32(ks) + 8, slide));
    }
  }
  for (var q = 0u; q < SPAN; q++) {
    let pixel = image + a * across.stride + (s0 + q) * slide.stride;
    for (var c = 0u; c < TILE; c++) {
      if (s0 + q < slide.length && c0 + c < p.chans) { y[pixel * p.chans + c0 + c] = acc[q][c]; }
    }
  }
}

// backwardInput: dy at 1, w at 2, dx at 3.
@group(0) @binding(1) var<storage, read> dy: array<f32>;         // (B, T, F, C)
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;   // (B, T, F)

@compute @workgroup_size(WG)
fn backwardInput(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let f = i % p.freq;
  let row = i / p.freq;
  let t = row % p.time;
  let taps = p.kh * p.kw;
  var sum = 0.0;
  for (var ki = 0u; ki < p.kh; ki++) {
    let to = i32(t) - i32(ki) + padBefore(p.kh);
    if (to < 0 || to >= i32(p.time)) { continue; }
    for (var kj = 0u; kj < p.kw; kj++) {
      let fo = i32(f) - i32(kj) + padBefore(p.kw);
      if (!inFreq(fo)) { continue; }
      let start = ((row - t + u32(to)) * p.freq + u32(fo)) * p.chans;
      let k = ki * p.kw + kj;
      for (var c = 0u; c < p.chans; c++) {
        sum += dy[start + c] * w[c * taps + k];
      }
    }
  }
  dx[i] = sum;
}

// backwardWeightPartial: dy at 1, x at 2 (the forward's input), partial at 3.
@group(0) @binding(2) var<storage, read> xSaved: array<f32>;          // (B, T, F)
@group(0) @binding(3) var<storage, read_write> partial: array<f32>;   // (chunks, C, KH·KW)

// acc[q] holds channels c0 … c0 + 3 of tap k0 + q, summed over the pixels of one chunk of rows. Invocations of a
// chunk are adjacent, so neighbouring invocations read the same rows.
@compute @workgroup_size(WG)
fn backwardWeightPartial(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let taps = p.kh * p.kw;
  let cTiles = tiles(p.chans);
  let tileCount = cTiles * tiles(taps);
  let chunk = i / tileCount;
  let c0 = (i % tileCount % cTiles) * TILE;
  let k0 = (i % tileCount / cTiles) * TILE;
  let ch = clamped4(c0, p.chans);
  let k = clamped4(k0, taps);
  let dt = vec4i(k / vec4u(p.kw)) - padBefore(p.kh);  // tap offsets along time and frequency
  let df = vec4i(k % vec4u(p.kw)) - padBefore(p.kw);
  var acc = array<vec4f, 4>();
  let rowEnd = min(p.batch * p.time, (chunk + 1u) * p.rowsPerChunk);
  for (var row = chunk * p.rowsPerChunk; row < rowEnd; row++) {
    let t = row % p.time;
    let tt = vec4i(i32(t)) + dt;
    let rowInside = (tt >= vec4i(0)) & (tt < vec4i(i32(p.time)));
    let start = vec4u(row - t) + vec4u(clamp(tt, vec4i(0), vec4i(i32(p.time) - 1)));
    for (var f = 0u; f < p.freq; f++) {
      let g = (row * p.freq + f) * p.chans;
      let grad = vec4f(dy[g + ch.x], dy[g + ch.y], dy[g + ch.z], dy[g + ch.w]);
      let ff = vec4i(i32(f)) + df;
      let inside = rowInside & (ff >= vec4i(0)) & (ff < vec4i(i32(p.freq)));
      let xi = start * p.freq + vec4u(clamp(ff, vec4i(0), vec4i(i32(p.freq) - 1)));
      let xk = select(vec4f(0.0), vec4f(xSaved[xi.x], xSaved[xi.y], xSaved[xi.z], xSaved[xi.w]), inside);
      acc[0] += xk.x * grad;
      acc[1] += xk.y * grad;
      acc[2] += xk.z * grad;
      acc[3] += xk.w * grad;
    }
  }
  let base = chunk * p.chans * taps;
  for (var q = 0u; q < TILE; q++) {
    for (var c = 0u; c < TILE; c++) {
      if (k0 + q < taps && c0 + c < p.chans) { partial[base + (c0 + c) * taps + k0 + q] = acc[q][c]; }
    }
  }
}
