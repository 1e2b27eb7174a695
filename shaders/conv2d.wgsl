// conv2d.wgsl: Conv2D from one input channel with TF 'same' zero padding (the TF-fusion paths, kernels 11×1,
// 1×9, 3×3); forward, backwardInput, backwardWeight (two passes: backwardWeightPartial, then dense.wgsl sumChunks).
//   forward:       y[b,t,f,c]  = bias[c] + Σ_{i,j} w[c,0,i,j] · x[b, t+i−padT, f+j−padF]
//   backwardInput: dx[b,t,f]   = Σ_{i,j,c} dy[b, t−i+padT, f−j+padF, c] · w[c,0,i,j]   (outputs inside the image)
//   backwardWeight dw[c,0,i,j] = Σ_{b,t,f} dy[b,t,f,c] · x[b, t+i−padT, f+j−padF]   (taps inside the image)
// x is 0 outside the image; padT = ⌊(KH−1)/2⌋, padF = ⌊(KW−1)/2⌋ (TF 'same': the extra pad of an even kernel
// goes after). Taps k = i·KW + j are the flattened (KH, KW) kernel. The "slide axis" is the image axis of the
// longer kernel extent (time for 11×1, frequency for 1×9 and 3×3; slideAxis), the "across axis" the other one.
//
// Work split, register-blocked (no workgroup memory: llvmpipe runs barrier kernels 2–10× slower than
// register-only ones, WebGPU runbook pitfall 6):
// - forward: one invocation per 8 pixels × 4 channels, 32 sums in eight vec4 registers. The 8 pixels lie along
//   the slide axis; along it the x taps slide by one position per kernel step, so each step loads 1 x value and 4
//   weights for 32 multiply-adds (with 4 pixels, or sliding along the 1-tap axis of 11×1, it ran up to 1.7×
//   slower on llvmpipe). Channel tiles vary fastest, so neighbouring invocations read the same x.
// - backwardInput: one invocation per input pixel, a serial sum over taps and channels. Only needed when x
//   itself needs a gradient, which the network's input does not.
// - backwardWeightPartial: the reduction over B·T·F (469 248 terms at batch 64) is cut into chunks of whole
//   bands written to partial (chunks, C, KH·KW); dense.wgsl's sumChunks then adds the chunks (~290 pixels per
//   chunk, 1504 chunks at batch 64: 15 040 invocations and short f32 sums). A band is a run of steps along
//   frequency, a step a block of 4 pixels along the slide axis: for 11×1 a band is 4 time rows × F (steps
//   (t0 … t0+3, f), f = 0 … F−1), for 1×9 and 3×3 one row (steps (t, f0 … f0+3)); bands go b-major, so a chunk
//   may span two samples. One invocation sums 4 channels (c, c + ⌈C/4⌉, c + 2⌈C/4⌉, c + 3⌈C/4⌉: at each load
//   neighbouring invocations read neighbouring dy) × 3 windows of 4 consecutive slide taps (12 taps: all of
//   11×1, 1×9 or 3×3, whose 3 kernel rows are 3 windows), 48 sums in twelve vec4 registers. Per step it loads
//   16 dy and, per window, the 7 x values its 4 taps see over the 4 pixels, for 192 multiply-adds: 0.19 loads
//   per multiply-add (the former 4 taps × 4 channels per pixel needed 0.5). Steps walk memory in order (x and dy
//   rows); sliding one pixel at a time down the time axis for 11×1 instead ran 1.3× slower than the old kernel.
//   Measured side by side at batch 64 on llvmpipe (old/new, backwardWeight incl. sumChunks, median of 7, one
//   run on the loaded 2-core machine): 11×1 1.86× (112 → 60 ms), 1×9 1.66× (112 → 68 ms), 3×3 1.63×
//   (113 → 69 ms), now at forward's rate; 1×9 in a quiet moment: 57 → 35 ms, 9.5 GFLOP/s (forward 11.3).
//   Waste: 9-tap kernels fill 9 of the 12 tap slots, C = 39 fills 39 of 40 channel slots.
struct Params {
  batch: u32,         // B
  time: u32,          // T
  freq: u32,          // F
  chans: u32,         // C, output channels (filters)
  kh: u32,            // KH, kernel extent along time
  kw: u32,            // KW, kernel extent along frequency
  bandsPerChunk: u32, // backwardWeightPartial: bands (see the header) summed by one chunk
  chunks: u32,        // backwardWeightPartial: ⌈bands / bandsPerChunk⌉
  total: u32,         // invocations of this dispatch
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// Channels per register tile (one vec4 of sums) and, in backwardWeightPartial, taps per window.
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
fn slidesAlongTime() -> bool {
  return p.kh > p.kw;
}

fn slideAxis() -> Axis {
  if (slidesAlongTime()) { return Axis(p.time, p.freq, p.kh, p.kw, padBefore(p.kh)); }
  return Axis(p.freq, 1u, p.kw, 1u, padBefore(p.kw));
}

fn acrossAxis() -> Axis {
  if (slidesAlongTime()) { return Axis(p.freq, 1u, p.kw, 1u, padBefore(p.kw)); }
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

// backwardWeightPartial: windows per invocation, each TILE consecutive taps along the slide axis; and pixels per
// step, a block of consecutive pixels along the slide axis.
const WINDOWS: u32 = 3u;
const BLOCK: u32 = 4u;

// A window of the kernel: slide taps firstSlideTap … firstSlideTap + taps − 1 (taps ≤ TILE) of across tap
// acrossTap. The kernel is cut into windows line by line (⌈slide taps / TILE⌉ per across tap); a window index past
// the last one holds no taps.
struct Window {
  acrossTap: u32,
  firstSlideTap: u32,
  taps: u32,
}

fn windowOf(index: u32, slide: Axis, across: Axis) -> Window {
  let perLine = tiles(slide.taps);
  let ks = index % perLine * TILE;
  let ka = index / perLine;
  return Window(ka, ks, select(0u, min(TILE, slide.taps - ks), ka < across.taps));
}

// x at slide positions first … first + 6 and across position aa of the image starting at pixel `image`, 0 in the
// padding (lo: first … first + 3, hi.xyz: first + 4 … first + 6): what a window's 4 taps see over a block of 4 pixels.
struct XRun {
  lo: vec4f,
  hi: vec4f,
}

fn xRun(image: u32, first: i32, aa: i32, slide: Axis, across: Axis) -> XRun {
  let acrossInside = aa >= 0 && aa < i32(across.length);
  let line = image + u32(clamp(aa, 0, i32(across.length) - 1)) * across.stride;
  var v: array<f32, 7>;
  for (var q = 0; q < 7; q++) {
    let pos = first + q;
    let inside = acrossInside && pos >= 0 && pos < i32(slide.length);
    v[q] = select(0.0, xSaved[line + u32(clamp(pos, 0, i32(slide.length) - 1)) * slide.stride], inside);
  }
  return XRun(vec4f(v[0], v[1], v[2], v[3]), vec4f(v[4], v[5], v[6], 0.0));
}

// acc[j] += v[j] · grad: a window's 4 taps × 4 channels at one pixel.
fn addOuter(acc: array<vec4f, 4>, v: vec4f, grad: vec4f) -> array<vec4f, 4> {
  return array<vec4f, 4>(acc[0] + v.x * grad, acc[1] + v.y * grad, acc[2] + v.z * grad, acc[3] + v.w * grad);
}

// A window's sums over a block: pixel q of the block sees x run positions q … q + 3 through taps 0 … 3.
fn addBlock(acc: array<vec4f, 4>, x: XRun, grad: array<vec4f, 4>) -> array<vec4f, 4> {
  var sums = addOuter(acc, x.lo, grad[0]);
  sums = addOuter(sums, vec4f(x.lo.yzw, x.hi.x), grad[1]);
  sums = addOuter(sums, vec4f(x.lo.zw, x.hi.xy), grad[2]);
  return addOuter(sums, vec4f(x.lo.w, x.hi.xyz), grad[3]);
}

// The channels of channel tile `cTile` in backwardWeightPartial: cTile + q·⌈C/4⌉, q = 0 … 3 (strided, so at each
// dy load neighbouring invocations read neighbouring channels: 0–10% faster on llvmpipe than 4 adjacent channels).
// Channels past C − 1 are clamped to it for the loads and not stored.
fn stridedChannels(cTile: u32) -> vec4u {
  return vec4u(cTile) + LANES * tiles(p.chans);
}

// Stores a window's sums (acc[j][q] = tap j, channel q of the tile) into one chunk's (C, KH·KW) block.
fn storeWindow(acc: array<vec4f, 4>, win: Window, channels: vec4u, block: u32, slide: Axis, across: Axis) {
  let taps = p.kh * p.kw;
  for (var j = 0u; j < win.taps; j++) {
    let k = win.acrossTap * across.tapStride + (win.firstSlideTap + j) * slide.tapStride;
    for (var q = 0u; q < TILE; q++) {
      if (channels[q] < p.chans) { partial[block + channels[q] * taps + k] = acc[j][q]; }
    }
  }
}

// One invocation: the 4 channels of a channel tile × the taps of windows 3·tile … 3·tile + 2, summed over the bands
// of one chunk (header). A step takes a block of 4 pixels along the slide axis: 16 dy loads, and 7 x loads per
// window for its 64 multiply-adds. Steps walk frequency, so consecutive steps read neighbouring dy and x.
@compute @workgroup_size(WG)
fn backwardWeightPartial(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let slide = slideAxis();
  let across = acrossAxis();
  let alongTime = slidesAlongTime();
  let cTiles = tiles(p.chans);
  let tapTiles = (across.taps * tiles(slide.taps) + WINDOWS - 1u) / WINDOWS;
  let channels = stridedChannels(i % cTiles);
  let tile = i / cTiles % tapTiles;
  let chunk = i / (cTiles * tapTiles);
  let ch = min(channels, vec4u(p.chans - 1u));
  let w0 = windowOf(tile * WINDOWS, slide, across);
  let w1 = windowOf(tile * WINDOWS + 1u, slide, across);
  let w2 = windowOf(tile * WINDOWS + 2u, slide, across);
  var acc0 = array<vec4f, 4>();
  var acc1 = array<vec4f, 4>();
  var acc2 = array<vec4f, 4>();
  let blocksPerSlide = (slide.length + BLOCK - 1u) / BLOCK;
  let bandsPerImage = select(p.time, blocksPerSlide, alongTime);
  let stepsPerBand = select(blocksPerSlide, p.freq, alongTime);
  let bandEnd = min(p.batch * bandsPerImage, (chunk + 1u) * p.bandsPerChunk);
  for (var band = chunk * p.bandsPerChunk; band < bandEnd; band++) {
    let image = band / bandsPerImage * p.time * p.freq;
    let o = band % bandsPerImage;
    for (var st = 0u; st < stepsPerBand; st++) {
      let s0 = select(st, o, alongTime) * BLOCK;   // first slide position of the block
      let a = select(o, st, alongTime);            // across position
      let line = image + a * across.stride;
      var grad: array<vec4f, 4>;   // dy at the block's pixels, 0 past the end of the slide axis
      for (var q = 0u; q < BLOCK; q++) {
        let g = (line + min(s0 + q, slide.length - 1u) * slide.stride) * p.chans;
        grad[q] = select(vec4f(0.0), vec4f(dy[g + ch.x], dy[g + ch.y], dy[g + ch.z], dy[g + ch.w]), s0 + q < slide.length);
      }
      let first = i32(s0) - slide.pad;
      acc0 = addBlock(acc0, xRun(image, first + i32(w0.firstSlideTap), i32(a + w0.acrossTap) - across.pad, slide, across), grad);
      acc1 = addBlock(acc1, xRun(image, first + i32(w1.firstSlideTap), i32(a + w1.acrossTap) - across.pad, slide, across), grad);
      acc2 = addBlock(acc2, xRun(image, first + i32(w2.firstSlideTap), i32(a + w2.acrossTap) - across.pad, slide, across), grad);
    }
  }
  let block = chunk * p.chans * p.kh * p.kw;
  storeWindow(acc0, w0, channels, block, slide, across);
  storeWindow(acc1, w1, channels, block, slide, across);
  storeWindow(acc2, w2, channels, block, slide, across);
}
