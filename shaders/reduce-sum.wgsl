// reduce-sum.wgsl: scaled sum over a run of consecutive axes; forward (one pass of a chunked sum), backward.
// x is seen as (outer, reduced, inner): the axes before the run, the run flattened, the axes after it.
// forward:  part[o, c, i] = scale · Σ_{m in chunk c} x[o, m, i]   (chunk c: rows [c·chunkRows, (c+1)·chunkRows) ∩ run)
// backward: dx[o, m, i]   = scale · dy[o, i] for m in chunk c     (broadcast back over the reduced run)
// backwardAdd: dx[o, m, i] = addend[o, m, i] + scale · dy[o, i]     (the same, added to a gradient from elsewhere)
// A sum over N rows is a tree of forward passes built by the host (reduce-sum.ts): each pass cuts the rows into
// chunks of at most chunkRows and writes one partial per chunk, (outer, chunks, inner); the next pass sums those
// partials the same way, until one chunk is left (that pass takes `scale`, the others 1). So no invocation adds
// more than chunkRows terms in f32, there are thousands of invocations in flight for the long sums (bias
// gradients over B·T·F rows), and the order of additions is fixed by the shapes: results are reproducible.
// Both scalar entry points give invocation (o, c, i) the rows of chunk c in column (o, i): forward sums them into
// one output, backward writes them all (short chunks there, so one index division serves several elements).
// Adjacent invocations take adjacent i: adjacent addresses.
// When a slab x[o, :, :] is whole vec4s (reduced · inner a multiple of 4), the vec4 entry points take over and walk
// each slab channel-aligned (src/backends/webgpu/channel-walk.ts; channel = i, the inner index): invocation (o, j),
// j < stride (a multiple of inner), visits vec4s j, j + stride, … of slab o, whose lane k always holds inner index
// (4j + k) mod inner. On llvmpipe that is ~2× faster than the scalar column walk (vec4 storage access, no stride-
// `inner` steps). forwardVec4 writes lane sums as vec4 j: per-inner-index partials, (outer, 4 · stride / inner,
// inner), unscaled (the host's tree of forward passes follows and scales); backwardVec4 broadcasts.
// No workgroup memory (llvmpipe runs barrier kernels 2–10× slower, WebGPU runbook pitfall 6); no loaded value is
// used twice, so there is nothing to register-block.
struct Params {
  reduced: u32,    // rows in the run (forward: this pass's input rows)
  inner: u32,      // elements after the run (1 when the run ends the shape)
  chunkRows: u32,  // rows one invocation handles
  chunks: u32,     // ceil(reduced / chunkRows); forward: the middle axis of the output
  scale: f32,      // factor applied to every output (forward: 1 on all but the last pass of a tree)
  total: u32,      // invocations: outer · chunks · inner (vec4 entry points: outer · stride)
  vectors: u32,    // vec4 entry points: whole vec4s per slab, reduced · inner / 4
  stride: u32,     // vec4 entry points: invocations per slab, a multiple of inner
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// The flat invocation index, rebuilt from the 2-D dispatch (dispatch-size.ts splits above 65535 workgroups over y).
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

@group(0) @binding(1) var<storage, read> x: array<f32>;           // (outer, reduced, inner)
@group(0) @binding(2) var<storage, read_write> part: array<f32>;  // (outer, chunks, inner)

// Column (o, i) and rows [first, first + count) of chunk c, for invocation idx = (o · chunks + c) · inner + i.
struct Strip { o: u32, i: u32, first: u32, count: u32 }
fn strip(idx: u32) -> Strip {
  let oc = idx / p.inner;
  let first = (oc % p.chunks) * p.chunkRows;
  return Strip(oc / p.chunks, idx % p.inner, first, min(p.chunkRows, p.reduced - first));
}

// The flat index of x[o, m, i] (and dx[o, m, i]).
fn at(o: u32, m: u32, i: u32) -> u32 {
  return (o * p.reduced + m) * p.inner + i;
}

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  let st = strip(idx);
  let base = at(st.o, st.first, st.i);
  // Four interleaved partial sums: four independent add chains, and each a quarter as long (less f32 error).
  var acc = vec4f(0.0);
  var m = 0u;
  for (; m + 4u <= st.count; m += 4u) {
    let row = base + m * p.inner;
    acc += vec4f(x[row], x[row + p.inner], x[row + 2u * p.inner], x[row + 3u * p.inner]);
  }
  for (; m < st.count; m++) {
    acc.x += x[base + m * p.inner];
  }
  part[idx] = p.scale * ((acc.x + acc.y) + (acc.z + acc.w));
}

// backward: dy at 1 (this entry point's own variable on binding 1), dx at 2.
@group(0) @binding(1) var<storage, read> dy: array<f32>;          // (outer, inner)
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;    // (outer, reduced, inner)

// The value column (o, i) of dx receives: scale · dy[o, i].
fn broadcastOf(st: Strip) -> f32 {
  return p.scale * dy[st.o * p.inner + st.i];
}

@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  let st = strip(idx);
  let g = broadcastOf(st);
  for (var m = st.first; m < st.first + st.count; m++) {
    dx[at(st.o, m, st.i)] = g;
  }
}

// backwardAdd: dy at 1, addend at 2, dx at 3 (inputs first, as everywhere).
@group(0) @binding(2) var<storage, read> addend: array<f32>;          // (outer, reduced, inner)
@group(0) @binding(3) var<storage, read_write> dxSum: array<f32>;     // (outer, reduced, inner)

@compute @workgroup_size(WG)
fn backwardAdd(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  let st = strip(idx);
  let g = broadcastOf(st);
  for (var m = st.first; m < st.first + st.count; m++) {
    let e = at(st.o, m, st.i);
    dxSum[e] = addend[e] + g;
  }
}

// The vec4 walks: slab o and position j of invocation i, the inner indices of j's four lanes.
struct Walk { o: u32, j: u32, lanes: vec4u }
fn walk(i: u32) -> Walk {
  let j = i % p.stride;
  return Walk(i / p.stride, j, (4u * (j % p.inner) + vec4u(0u, 1u, 2u, 3u)) % p.inner);
}

// forwardVec4: x at 1, part at 2 as vec4s.
@group(0) @binding(1) var<storage, read> x4: array<vec4f>;           // (outer, reduced · inner / 4)
@group(0) @binding(2) var<storage, read_write> part4: array<vec4f>;  // (outer, stride) = (outer, 4 · stride / inner, inner)

@compute @workgroup_size(WG)
fn forwardVec4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  let w = walk(idx);
  let base = w.o * p.vectors;
  var acc = vec4f(0.0);
  for (var v = w.j; v < p.vectors; v += p.stride) { acc += x4[base + v]; }
  part4[idx] = acc;
}

// What the four lanes of walk w's vec4s receive: scale · dy[o, lane's inner index].
fn broadcast4Of(w: Walk) -> vec4f {
  let row = w.o * p.inner;
  return p.scale * vec4f(dy[row + w.lanes.x], dy[row + w.lanes.y], dy[row + w.lanes.z], dy[row + w.lanes.w]);
}

// backwardVec4: dy at 1 (scalar, as backward), dx at 2 as vec4s.
@group(0) @binding(2) var<storage, read_write> dx4: array<vec4f>;  // (outer, reduced · inner / 4)

@compute @workgroup_size(WG)
fn backwardVec4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  let w = walk(idx);
  let g = broadcast4Of(w);
  let base = w.o * p.vectors;
  for (var v = w.j; v < p.vectors; v += p.stride) { dx4[base + v] = g; }
}

// backwardAddVec4: dy at 1 (scalar), addend at 2 and dx at 3 as vec4s.
@group(0) @binding(2) var<storage, read> addend4: array<vec4f>;       // (outer, reduced · inner / 4)
@group(0) @binding(3) var<storage, read_write> dxSum4: array<vec4f>;  // (outer, reduced · inner / 4)

@compute @workgroup_size(WG)
fn backwardAddVec4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let idx = flatIndex(gid, n);
  if (idx >= p.total) { return; }
  let w = walk(idx);
  let g = broadcast4Of(w);
  let base = w.o * p.vectors;
  for (var v = w.j; v < p.vectors; v += p.stride) { dxSum4[base + v] = addend4[base + v] + g; }
}
