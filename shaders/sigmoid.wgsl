// sigmoid.wgsl: logistic function, elementwise over any shape; forward, backward.
// forward:  y[i]  = 1 / (1 + exp(−x[i]))      (exp overflows to +inf for x < −88, giving exactly 0: no NaN)
// backward: dx[i] = dy[i] · y[i] · (1 − y[i])  (from the saved output y, as the op passes it)
// x, y, dy, dx are flat f32 arrays of `total` elements (the tensor's shape does not matter here).
// One invocation per element; the host splits dispatches above 65535 workgroups over y (dispatch-size.ts).
struct Params {
  total: u32,  // number of elements
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// The flat element index of this invocation, rebuilt from the 2-D dispatch.
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

@group(0) @binding(1) var<storage, read> x: array<f32>;        // (total)
@group(0) @binding(2) var<storage, read_write> y: array<f32>;  // (total)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  y[i] = 1.0 / (1.0 + exp(-x[i]));
}

// backward: dy at 1, the saved output y at 2, dx at 3 (this entry point's own variables).
@group(0) @binding(1) var<storage, read> dy: array<f32>;        // (total)
@group(0) @binding(2) var<storage, read> ySaved: array<f32>;    // (total)
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;  // (total)

@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let s = ySaved[i];
  dx[i] = dy[i] * s * (1.0 - s);
}
