// concat.wgsl: concatenation along one axis and its inverse, the slice; forward (one part), slice.
// Every tensor is seen as (outer, width, inner) around the axis; the concatenated one, y for forward and x for
// slice, has `fullWidth` entries on it, and a part is the window [start, start + width) of them:
// forward: y[o, start + w, r] = part[o, w, r]   (the host dispatches once per part into one output, since WGSL
//          cannot bind a variable number of buffers; the parts' windows tile the axis, so every element of y is
//          written by exactly one invocation of one dispatch)
// slice:   y[o, w, r] = x[o, start + w, r]
// A window row (one o) is `row` = width · inner contiguous floats. One invocation per (chunk of `chunkRows` rows o,
// position e in the row), e fastest: it copies element e of each of its rows, so neighbouring invocations touch
// neighbouring addresses and the loop needs additions only (no integer division per element, which llvmpipe
// pays dearly). Flat indices: the host splits dispatches above 65535 workgroups over y (dispatch-size.ts).
struct Params {
  total: u32,      // invocations: ceil(outer / chunkRows) · width · inner
  outer: u32,      // product of the axes before the axis
  width: u32,      // the part's or slice's entries on the axis
  inner: u32,      // product of the axes after the axis
  fullWidth: u32,  // the concatenated tensor's entries on the axis
  start: u32,      // where the part or slice begins on the axis
  chunkRows: u32,  // rows o per invocation
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// The flat invocation index, rebuilt from the 2-D dispatch.
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

// Invocation i's element e of a window row and its rows [o0, o1).
struct Rows { e: u32, o0: u32, o1: u32, }
fn rowsOf(i: u32) -> Rows {
  let row = p.width * p.inner;
  let o0 = (i / row) * p.chunkRows;
  return Rows(i % row, o0, min(o0 + p.chunkRows, p.outer));
}

// Flat index of element e of row o in the window (outer, width, inner) and in the full (outer, fullWidth, inner).
fn windowAt(o: u32, e: u32) -> u32 {
  return o * p.width * p.inner + e;
}
fn fullAt(o: u32, e: u32) -> u32 {
  return (o * p.fullWidth + p.start) * p.inner + e;
}

@group(0) @binding(1) var<storage, read> part: array<f32>;     // (outer, width, inner)
@group(0) @binding(2) var<storage, read_write> y: array<f32>;  // (outer, fullWidth, inner)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let r = rowsOf(i);
  for (var o = r.o0; o < r.o1; o++) { y[fullAt(o, r.e)] = part[windowAt(o, r.e)]; }
}

// slice: x at 1, y at 2 (this entry point's own variables).
@group(0) @binding(1) var<storage, read> x: array<f32>;             // (outer, fullWidth, inner)
@group(0) @binding(2) var<storage, read_write> sliced: array<f32>;  // (outer, width, inner)

@compute @workgroup_size(WG)
fn slice(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let r = rowsOf(i);
  for (var o = r.o0; o < r.o1; o++) { sliced[windowAt(o, r.e)] = x[fullAt(o, r.e)]; }
}
