// add.wgsl: elementwise sum of two same-shape tensors; forward only (the gradient of each input is dy itself).
// forward: y[i] = a[i] + b[i]
// a, b, y are flat f32 arrays of `total` elements (the tensors' common shape does not matter here).
// Grid-stride: `stride` invocations, invocation j doing elements j, j + stride, j + 2·stride, … below total.
// The tape sums gradients with this kernel, up to the (B, T, 117, 39) TF-fusion gradient, and llvmpipe pays a
// per-invocation cost that 4 elements per invocation cut ~1.7× (measured); neighbouring invocations still touch
// neighbouring addresses on every pass. The host splits dispatches above 65535 workgroups over y (dispatch-size.ts).
struct Params {
  total: u32,   // number of elements
  stride: u32,  // number of invocations
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// The flat invocation index, rebuilt from the 2-D dispatch.
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

@group(0) @binding(1) var<storage, read> a: array<f32>;        // (total)
@group(0) @binding(2) var<storage, read> b: array<f32>;        // (total)
@group(0) @binding(3) var<storage, read_write> y: array<f32>;  // (total)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let j = flatIndex(gid, n);
  if (j >= p.stride) { return; }
  for (var i = j; i < p.total; i += p.stride) { y[i] = a[i] + b[i]; }
}
