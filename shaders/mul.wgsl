// mul.wgsl: elementwise product with the SE channel gate broadcast; forward, backwardB (partial sums + finish).
// The SE gate: b is (B, C) and a (B, …, C), seen as (B, M, C) (M = the middle axes):
// forward:   y[n,m,c]  = a[n,m,c] · b[n,c]                (also da = forward(dy, b))
// backwardB: db[n,c]   = Σ_m dy[n,m,c] · a[n,m,c]
// The TAB gate, b of a's shape: y = a · b and db = dy · a elementwise (`product`, at the end).
// The scalar SE entry points run on a grid of (n, k, c), c fastest, where chunk k holds `chunkRows` rows m: each invocation loads its
// gate b[n,c] once and walks its rows with additions only (no integer division per element, which llvmpipe pays
// dearly), and neighbouring invocations touch neighbouring addresses. For backwardB the grid splits the sum over
// M (T·117 ≈ 22k terms for the SE gate): `partial` writes part[n,k,c] = Σ over the rows of chunk k, `finish` sums
// part over k. Thousands of invocations instead of B·C serial 22k-term sums, and short f32 sums. With one chunk
// the host points `partial` at db directly.
// Flat indices: the host splits dispatches above 65535 workgroups over y (dispatch-size.ts).
struct Params {
  total: u32,      // invocations: B·chunks·C (forward, partial), B·C (finish); product: elements
  mid: u32,        // M, rows summed (forward, partial: a's middle axes; finish: the chunk count)
  chans: u32,      // C
  chunkRows: u32,  // rows per chunk (finish: the chunk count, so one chunk spans every row)
  chunks: u32,     // chunks per (n, c): ceil(mid / chunkRows)
  vectors: u32,    // vec4 entry points: whole vec4s per slab, M · C / 4 (total = B · stride); product: floor(total / 4)
  stride: u32,     // vec4 entry points: invocations per slab, a multiple of C; product: its invocations
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// The flat invocation index, rebuilt from the 2-D dispatch.
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

// Flat index of element (n, m, c) of a (B, M, C) tensor.
fn at(n: u32, m: u32, c: u32) -> u32 {
  return (n * p.mid + m) * p.chans + c;
}

// (n, c) of invocation i on the (B, chunks, C) grid, and the rows [m0, m1) of its chunk k.
struct Chunk { n: u32, c: u32, m0: u32, m1: u32, }
fn chunkOf(i: u32) -> Chunk {
  let c = i % p.chans;
  let k = (i / p.chans) % p.chunks;
  let n = i / (p.chans * p.chunks);
  let m0 = k * p.chunkRows;
  return Chunk(n, c, m0, min(m0 + p.chunkRows, p.mid));
}

@group(0) @binding(1) var<storage, read> a: array<f32>;        // (B, M, C)
@group(0) @binding(2) var<storage, read> b: array<f32>;        // (B, C)
@group(0) @binding(3) var<storage, read_write> y: array<f32>;  // (B, M, C)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let r = chunkOf(i);
  let gate = b[r.n * p.chans + r.c];
  for (var m = r.m0; m < r.m1; m++) {
    let j = at(r.n, m, r.c);
    y[j] = a[j] * gate;
  }
}

// partial: dy at 1, a at 2, part at 3 (this entry point's own variables).
@group(0) @binding(1) var<storage, read> dy: array<f32>;          // (B, M, C)
@group(0) @binding(2) var<storage, read> aSaved: array<f32>;      // (B, M, C)
@group(0) @binding(3) var<storage, read_write> part: array<f32>;  // (B, chunks, C)

@compute @workgroup_size(WG)
fn partial(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let r = chunkOf(i);
  var sum = 0.0;
  for (var m = r.m0; m < r.m1; m++) {
    let j = at(r.n, m, r.c);
    sum += dy[j] * aSaved[j];
  }
  part[i] = sum;
}

// finish: part at 1, db at 2; run with mid = chunkRows = chunks of the partial pass, and chunks = 1.
@group(0) @binding(1) var<storage, read> partSums: array<f32>;  // (B, chunks, C)
@group(0) @binding(2) var<storage, read_write> db: array<f32>;  // (B, C)

@compute @workgroup_size(WG)
fn finish(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let r = chunkOf(i);
  var sum = 0.0;
  for (var k = r.m0; k < r.m1; k++) { sum += partSums[at(r.n, k, r.c)]; }
  db[i] = sum;
}

// The vec4 walks: slab n and position j of invocation i, and the channels of j's four lanes.
struct Walk { n: u32, j: u32, lanes: vec4u }
fn walk(i: u32) -> Walk {
  let j = i % p.stride;
  return Walk(i / p.stride, j, (4u * (j % p.chans) + vec4u(0u, 1u, 2u, 3u)) % p.chans);
}

// forwardVec4: a at 1 and y at 3 as vec4s, b at 2 as in forward.
@group(0) @binding(1) var<storage, read> a4: array<vec4f>;        // (B, M · C / 4)
@group(0) @binding(3) var<storage, read_write> y4: array<vec4f>;  // (B, M · C / 4)

@compute @workgroup_size(WG)
fn forwardVec4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let w = walk(i);
  let row = w.n * p.chans;
  let gate = vec4f(b[row + w.lanes.x], b[row + w.lanes.y], b[row + w.lanes.z], b[row + w.lanes.w]);
  let base = w.n * p.vectors;
  for (var v = w.j; v < p.vectors; v += p.stride) { y4[base + v] = a4[base + v] * gate; }
}

// partialVec4: dy at 1, a at 2, part at 3, all as vec4s.
@group(0) @binding(1) var<storage, read> dy4: array<vec4f>;          // (B, M · C / 4)
@group(0) @binding(2) var<storage, read> aSaved4: array<vec4f>;      // (B, M · C / 4)
@group(0) @binding(3) var<storage, read_write> part4: array<vec4f>;  // (B, stride) = (B, 4 · stride / C, C)

@compute @workgroup_size(WG)
fn partialVec4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let w = walk(i);
  let base = w.n * p.vectors;
  var acc = vec4f(0.0);
  for (var v = w.j; v < p.vectors; v += p.stride) { acc += dy4[base + v] * aSaved4[base + v]; }
  part4[i] = acc;
}

// product: a at 1, b at 2, y at 3 as vec4s (a4 and y4 as in forwardVec4).
@group(0) @binding(2) var<storage, read> b4: array<vec4f>;  // (total / 4)

@compute @workgroup_size(WG)
fn product(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let j = flatIndex(gid, n);
  if (j >= p.stride) { return; }
  for (var v = j; v < p.vectors; v += p.stride) { y4[v] = a4[v] * b4[v]; }
}

// productTail: a, b, y as scalars (as in forward).
@compute @workgroup_size(WG)
fn productTail(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = 4u * p.vectors + flatIndex(gid, n);
  if (i >= p.total) { return; }
  y[i] = a[i] * b[i];
}
