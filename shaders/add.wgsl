// add.wgsl: elementwise sum of two same-shape tensors; forward only (the gradient of each input is dy itself).
// forward: y[i] = a[i] + b[i]
// a, b, y are flat f32 arrays of `total` elements (the tensors' common shape does not matter here).
// Work split as relu.wgsl: `forward` sees the arrays as vec4s, `stride` invocations walking the `vectors` whole
// vec4s grid-stride (invocation j: vec4s j, j + stride, …), neighbouring invocations on neighbouring addresses;
// `forwardTail` takes the last total % 4 elements, one invocation each. The tape sums gradients with this kernel,
// up to the (B, T, 39, 39) TF-fusion gradients; vec4 access ran the batch-64 one 1.5× faster than 4 scalar elements
// per invocation on llvmpipe (measured). The host splits dispatches above 65535 workgroups over y.
struct Params {
  vectors: u32,  // whole vec4s: floor(total / 4)
  stride: u32,   // invocations of forward: ceil(vectors / VECTORS_PER_INVOCATION)
  total: u32,    // number of elements
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// The flat invocation index, rebuilt from the 2-D dispatch.
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

@group(0) @binding(1) var<storage, read> a4: array<vec4f>;        // (total / 4)
@group(0) @binding(2) var<storage, read> b4: array<vec4f>;        // (total / 4)
@group(0) @binding(3) var<storage, read_write> y4: array<vec4f>;  // (total / 4)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let j = flatIndex(gid, n);
  if (j >= p.stride) { return; }
  for (var v = j; v < p.vectors; v += p.stride) { y4[v] = a4[v] + b4[v]; }
}

// forwardTail: the same tensors as scalars (this entry point's own variables).
@group(0) @binding(1) var<storage, read> a: array<f32>;        // (total)
@group(0) @binding(2) var<storage, read> b: array<f32>;        // (total)
@group(0) @binding(3) var<storage, read_write> y: array<f32>;  // (total)

@compute @workgroup_size(WG)
fn forwardTail(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = 4u * p.vectors + flatIndex(gid, n);
  if (i >= p.total) { return; }
  y[i] = a[i] + b[i];
}
