// adam.wgsl: one Adam step in place on a parameter and its moments, Keras form; step.
// Per element i, with stepSize = lr·sqrt(1 − β2^t)/(1 − β1^t) folded on the host (src/ops/adam.ts):
//   m[i] = β1·m[i] + (1 − β1)·g[i]
//   v[i] = β2·v[i] + (1 − β2)·g[i]²
//   param[i] −= stepSize · m[i] / (sqrt(v[i]) + eps)      (eps added to sqrt(v), not to the corrected v̂)
// grad, param, m, v are flat f32 arrays of `total` elements. In place: param, m and v are read and written by
// the invocation that owns element i and by no other, and are three distinct buffers (a buffer cannot be bound
// twice as read_write).
// One invocation per element; the host splits dispatches above 65535 workgroups over y (dispatch-size.ts).
struct Params {
  total: u32,     // number of elements
  stepSize: f32,  // lr·sqrt(1 − β2^t)/(1 − β1^t)
  beta1: f32,     // β1, decay of the first moment
  beta2: f32,     // β2, decay of the second moment
  eps: f32,       // added to sqrt(v)
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// The flat element index of this invocation, rebuilt from the 2-D dispatch.
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

@group(0) @binding(1) var<storage, read> grad: array<f32>;         // (total)
@group(0) @binding(2) var<storage, read_write> param: array<f32>;  // (total), updated in place
@group(0) @binding(3) var<storage, read_write> m: array<f32>;      // (total), updated in place
@group(0) @binding(4) var<storage, read_write> v: array<f32>;      // (total), updated in place

@compute @workgroup_size(WG)
fn step(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let g = grad[i];
  let mNew = p.beta1 * m[i] + (1.0 - p.beta1) * g;
  let vNew = p.beta2 * v[i] + (1.0 - p.beta2) * g * g;
  m[i] = mNew;
  v[i] = vNew;
  param[i] -= p.stepSize * mNew / (sqrt(vNew) + p.eps);
}
