// weighted-sum.wgsl: the head's learned weighted sum of the n pooled vectors (TIM-Net WeightLayer); forward,
// backwardInput, backwardWeight.
// g (B, n, C), w (n), z (B, C):
// forward:        z[b,c]    = Σ_j w[j] · g[b,j,c]          one invocation per (b, c), n terms (n = 8 for EMO-DB)
// backwardInput:  dg[b,j,c] = w[j] · dz[b,c]               one invocation per element of dg
// backwardWeight: dw[j]     = Σ_{b,c} dz[b,c] · g[b,j,c]   one invocation per j, B·C terms (2496 at batch 64):
//                 a short serial sum, not worth a second pass; f32 error stays near 1e-6 relative.
// Flat indices: the host splits dispatches above 65535 workgroups over y (dispatch-size.ts).
struct Params {
  total: u32,  // invocations: B·C (forward), B·n·C (backwardInput), n (backwardWeight)
  batch: u32,  // B
  n: u32,      // number of weighted vectors
  chans: u32,  // C
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// The flat invocation index, rebuilt from the 2-D dispatch.
fn flatIndex(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

// Flat index of g[b, j, c].
fn gAt(b: u32, j: u32, c: u32) -> u32 {
  return (b * p.n + j) * p.chans + c;
}

@group(0) @binding(1) var<storage, read> g: array<f32>;        // (B, n, C)
@group(0) @binding(2) var<storage, read> w: array<f32>;        // (n)
@group(0) @binding(3) var<storage, read_write> z: array<f32>;  // (B, C)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flatIndex(gid, nwg);
  if (i >= p.total) { return; }
  let b = i / p.chans;
  let c = i % p.chans;
  var sum = 0.0;
  for (var j = 0u; j < p.n; j++) { sum += w[j] * g[gAt(b, j, c)]; }
  z[i] = sum;
}

// backwardInput: dz at 1, w at 2, dg at 3 (this entry point's own variables).
@group(0) @binding(1) var<storage, read> dz: array<f32>;        // (B, C)
@group(0) @binding(2) var<storage, read> wSaved: array<f32>;    // (n)
@group(0) @binding(3) var<storage, read_write> dg: array<f32>;  // (B, n, C)

@compute @workgroup_size(WG)
fn backwardInput(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flatIndex(gid, nwg);
  if (i >= p.total) { return; }
  let c = i % p.chans;
  let bj = i / p.chans;  // b · n + j
  let j = bj % p.n;
  let b = bj / p.n;
  dg[i] = wSaved[j] * dz[b * p.chans + c];
}

// backwardWeight: dz at 1, g at 2, dw at 3.
@group(0) @binding(1) var<storage, read> dzIn: array<f32>;      // (B, C)
@group(0) @binding(2) var<storage, read> gSaved: array<f32>;    // (B, n, C)
@group(0) @binding(3) var<storage, read_write> dw: array<f32>;  // (n)

@compute @workgroup_size(WG)
fn backwardWeight(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let j = flatIndex(gid, nwg);
  if (j >= p.total) { return; }
  var sum = 0.0;
  for (var b = 0u; b < p.batch; b++) {
    for (var c = 0u; c < p.chans; c++) { sum += dzIn[b * p.chans + c] * gSaved[gAt(b, j, c)]; }
  }
  dw[j] = sum;
}
