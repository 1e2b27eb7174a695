// se-gate.wgsl: squeeze-and-excitation's gate at inference, both directions in one dispatch, folded into the 1×1
// conv's weights: gate[n,o] = w1x1[d,o] · sigmoid(fc2b[d,o] + Σ_i fc2w[d,o,i] · relu(fc1b[d,i] + Σ_j fc1w[d,i,j] · s[j]))
// with s[j] = scale · Σ_r rowSums[n,r,j] (rowSums: tf-path squeeze's block sums, scale = 1/(T·PATHS·F)),
// n = d·B + b. tf-path collapse multiplies the paths by it, which is the SE scaling and the 1×1 conv in one.
// Two entries: squeeze (s, one invocation per (n, j)), then forward (one invocation per (n, o), which recomputes
// the hidden layer, C² multiply-adds: cheaper than a third dispatch).
struct Params {
  batch: u32,  // B, samples per direction
  time: u32,   // rows of rowSums per sample: ⌈T/8⌉ · ⌈F/8⌉ (tf-path's blocks)
  chans: u32,  // C
  scale: f32,  // squeeze: 1 / (T · PATHS · F), the squeeze's mean
  total: u32,  // 2B · C
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts

@group(0) @binding(1) var<storage, read> rowSums: array<f32>;    // squeeze: (2B, T·S, C)
@group(0) @binding(2) var<storage, read> fc1w: array<f32>;       // (2, C, C)
@group(0) @binding(3) var<storage, read> fc1b: array<f32>;       // (2, C)
@group(0) @binding(4) var<storage, read> fc2w: array<f32>;       // (2, C, C)
@group(0) @binding(5) var<storage, read> fc2b: array<f32>;       // (2, C)
@group(0) @binding(6) var<storage, read> w1x1: array<f32>;       // (2, C)
@group(0) @binding(7) var<storage, read_write> gate: array<f32>; // (2B, C)

// squeeze: one invocation per (n, j): s[n,j] = scale · Σ_r rowSums[n,r,j] (summed once, not by every forward
// invocation: with the sums inside forward it took 5 ms at batch 1 on llvmpipe).
@group(0) @binding(2) var<storage, read_write> squeezed: array<f32>;  // squeeze: (2B, C)

@compute @workgroup_size(WG)
fn squeeze(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = gid.x + gid.y * nw.x * WG;
  if (i >= p.total) { return; }
  let j = i % p.chans;
  let n = i / p.chans;
  var sum = 0.0;
  for (var r = 0u; r < p.time; r++) { sum += rowSums[(n * p.time + r) * p.chans + j]; }
  squeezed[i] = sum * p.scale;
}

// forward: s (2B, C) from squeeze at 1, then the weights.
@group(0) @binding(1) var<storage, read> s: array<f32>;          // (2B, C)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = gid.x + gid.y * nw.x * WG;
  if (i >= p.total) { return; }
  let o = i % p.chans;
  let n = i / p.chans;
  let d = n / p.batch;
  var z = fc2b[d * p.chans + o];
  for (var h = 0u; h < p.chans; h++) {
    var a = fc1b[d * p.chans + h];
    let row = (d * p.chans + h) * p.chans;
    for (var j = 0u; j < p.chans; j++) { a += fc1w[row + j] * s[n * p.chans + j]; }
    z += fc2w[(d * p.chans + o) * p.chans + h] * max(a, 0.0);
  }
  gate[i] = w1x1[d * p.chans + o] / (1.0 + exp(-z));
}
