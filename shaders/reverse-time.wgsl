// reverse-time.wgsl: reverses axis 1 (time) of (B, T, …); forward only (a permutation is its own backward).
// x and y seen as (B, T, R) (R = the axes after time): y[b, t, r] = x[b, T − 1 − t, r].
// One invocation per element of y; the host splits dispatches above 65535 workgroups over y (dispatch-size.ts).
struct Params {
  total: u32,  // B · T · R
  time: u32,   // T
  rest: u32,   // R
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// The flat element index of this invocation, rebuilt from the 2-D dispatch.
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

@group(0) @binding(1) var<storage, read> x: array<f32>;        // (B, T, R)
@group(0) @binding(2) var<storage, read_write> y: array<f32>;  // (B, T, R)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let r = i % p.rest;
  let bt = i / p.rest;         // b · T + t
  let t = bt % p.time;
  y[i] = x[(bt - t + p.time - 1u - t) * p.rest + r];
}
