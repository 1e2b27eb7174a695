// sigmoid.wgsl: logistic function, elementwise over any shape; forward, backward.
// forward:  y[i]  = 1 / (1 + exp(−x[i]))      (exp overflows to +inf for x < −88, giving exactly 0: no NaN)
// backward: dx[i] = dy[i] · y[i] · (1 − y[i])  (from the saved output y, as the op passes it)
// x, y, dy, dx are flat f32 arrays of `total` elements (the tensor's shape does not matter here).
// Work split as relu.wgsl: `forward`/`backward` walk the `vectors` whole vec4s grid-stride, `stride` invocations
// of VECTORS_PER_INVOCATION vec4s each (llvmpipe pays a per-lane loop per storage access whatever its width:
// vec4s cut that work 4-fold, measured 2.1× on relu); `forwardTail`/`backwardTail` take the last total % 4
// elements, one invocation each on scalar bindings. The host splits dispatches above 65535 workgroups over y.
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
fn sigmoidOf(x: vec4f) -> vec4f {
  return 1.0 / (1.0 + exp(-x));
}
fn gradOf(dy: vec4f, y: vec4f) -> vec4f {
  return dy * y * (1.0 - y);
}

@group(0) @binding(1) var<storage, read> x4: array<vec4f>;        // (total / 4)
@group(0) @binding(2) var<storage, read_write> y4: array<vec4f>;  // (total / 4)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let j = flatIndex(gid, n);
  if (j >= p.stride) { return; }
  for (var v = j; v < p.vectors; v += p.stride) { y4[v] = sigmoidOf(x4[v]); }
}

// forwardTail: the same tensors as scalars (this entry point's own variables).
@group(0) @binding(1) var<storage, read> x: array<f32>;        // (total)
@group(0) @binding(2) var<storage, read_write> y: array<f32>;  // (total)

@compute @workgroup_size(WG)
fn forwardTail(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = tailIndex(gid, n);
  if (i >= p.total) { return; }
  y[i] = sigmoidOf(vec4f(x[i])).x;
}

// backward: dy at 1, the saved output y at 2, dx at 3 (this entry point's own variables).
@group(0) @binding(1) var<storage, read> dy4: array<vec4f>;        // (total / 4)
@group(0) @binding(2) var<storage, read> ySaved4: array<vec4f>;    // (total / 4)
@group(0) @binding(3) var<storage, read_write> dx4: array<vec4f>;  // (total / 4)

@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let j = flatIndex(gid, n);
  if (j >= p.stride) { return; }
  for (var v = j; v < p.vectors; v += p.stride) { dx4[v] = gradOf(dy4[v], ySaved4[v]); }
}

// backwardTail: dy, y, dx as scalars.
@group(0) @binding(1) var<storage, read> dy: array<f32>;        // (total)
@group(0) @binding(2) var<storage, read> ySaved: array<f32>;    // (total)
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;  // (total)

@compute @workgroup_size(WG)
fn backwardTail(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = tailIndex(gid, n);
  if (i >= p.total) { return; }
  dx[i] = gradOf(vec4f(dy[i]), vec4f(ySaved[i])).x;
}
