// relu.wgsl: rectified linear unit, elementwise over any shape; forward, backward.
// forward:  y[i]  = max(x[i], 0)
// backward: dx[i] = dy[i] if x[i] > 0, else 0   (dy · [x > 0], with +0 where x ≤ 0; the kink x = 0 passes no gradient)
// x, y, dy, dx are flat f32 arrays of `total` elements (the tensor's shape does not matter here).
// Work split: `forward`/`backward` see the arrays as vec4s; `stride` invocations walk the `vectors` whole vec4s
// grid-stride (invocation j: vec4s j, j + stride, …), neighbouring invocations on neighbouring addresses.
// llvmpipe pays a per-lane loop for every storage access whatever its width, so vec4 accesses, two per invocation,
// run this kernel 2.1× faster than one f32 per invocation (measured, VECTORS_PER_INVOCATION in dispatch-size.ts).
// The last total % 4 elements go to `forwardTail`/`backwardTail`, one invocation each on scalar bindings (the
// host dispatches them only when there are any). The host splits dispatches above 65535 workgroups over y.
struct Params {
  vectors: u32,  // whole vec4s: floor(total / 4)
  stride: u32,   // invocations of forward and backward: ceil(vectors / VECTORS_PER_INVOCATION)
  total: u32,    // number of elements
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// The flat invocation index, rebuilt from the 2-D dispatch.
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

// The element index of a tail invocation: the tail starts after the whole vec4s.
fn tailIndex(gid: vec3u, n: vec3u) -> u32 {
  return 4u * p.vectors + flatIndex(gid, n);
}

// The formulas, on four lanes (the tail uses lane x).
fn reluOf(x: vec4f) -> vec4f {
  return max(x, vec4f(0.0));
}
fn gradOf(x: vec4f, dy: vec4f) -> vec4f {
  return select(vec4f(0.0), dy, x > vec4f(0.0));
}

@group(0) @binding(1) var<storage, read> x4: array<vec4f>;        // (total / 4)
@group(0) @binding(2) var<storage, read_write> y4: array<vec4f>;  // (total / 4)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let j = flatIndex(gid, n);
  if (j >= p.stride) { return; }
  for (var v = j; v < p.vectors; v += p.stride) { y4[v] = reluOf(x4[v]); }
}

// forwardTail: the same tensors as scalars (this entry point's own variables).
@group(0) @binding(1) var<storage, read> x: array<f32>;         // (total)
@group(0) @binding(2) var<storage, read_write> y: array<f32>;   // (total)

@compute @workgroup_size(WG)
fn forwardTail(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = tailIndex(gid, n);
  if (i >= p.total) { return; }
  y[i] = reluOf(vec4f(x[i])).x;
}

// backward: x at 1 as above, dy at 2, dx at 3.
@group(0) @binding(2) var<storage, read> dy4: array<vec4f>;        // (total / 4)
@group(0) @binding(3) var<storage, read_write> dx4: array<vec4f>;  // (total / 4)

@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let j = flatIndex(gid, n);
  if (j >= p.stride) { return; }
  for (var v = j; v < p.vectors; v += p.stride) { dx4[v] = gradOf(x4[v], dy4[v]); }
}

// backwardTail: x, dy, dx as scalars.
@group(0) @binding(2) var<storage, read> dy: array<f32>;        // (total)
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;  // (total)

@compute @workgroup_size(WG)
fn backwardTail(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = tailIndex(gid, n);
  if (i >= p.total) { return; }
  dx[i] = gradOf(vec4f(x[i]), vec4f(dy[i])).x;
}
