// softmax-cross-entropy.wgsl: softmax + cross-entropy against a target distribution, mean over the batch;
// forward (per row), meanLoss, backward.
// logits, target (named targetDist here: `target` is a WGSL reserved word), probs, dlogits (B, K);
// loss and dloss [1]; rowLoss (B) is the forward pass's scratch.
// forward:  per row b, with the max subtracted first (no overflow in exp):
//           logp[b,c] = z[b,c] − max_c z − log Σ_c exp(z[b,c] − max_c z),  probs[b,c] = exp(logp[b,c]),
//           rowLoss[b] = −Σ_c target[b,c] · logp[b,c]                     one invocation per row, K terms
// meanLoss: loss[0] = Σ_b rowLoss[b] / B                                   one invocation, B terms (B ≤ 64 here)
// backward: dlogits[b,c] = dloss[0] · (probs[b,c] − target[b,c]) / B     one invocation per element
// The loss is a sum over rows, so it takes a second pass rather than a race on one output.
// Flat indices: the host splits dispatches above 65535 workgroups over y (dispatch-size.ts).
struct Params {
  total: u32,    // invocations: B (forward), 1 (meanLoss), B·K (backward)
  batch: u32,    // B
  classes: u32,  // K
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// The flat invocation index, rebuilt from the 2-D dispatch.
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

@group(0) @binding(1) var<storage, read> logits: array<f32>;         // (B, K)
@group(0) @binding(2) var<storage, read> targetDist: array<f32>;     // (B, K), the target distribution
@group(0) @binding(3) var<storage, read_write> probs: array<f32>;    // (B, K)
@group(0) @binding(4) var<storage, read_write> rowLoss: array<f32>;  // (B)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let b = flatIndex(gid, n);
  if (b >= p.total) { return; }
  let row = b * p.classes;
  var zMax = logits[row];
  for (var c = 1u; c < p.classes; c++) { zMax = max(zMax, logits[row + c]); }
  var sumExp = 0.0;
  for (var c = 0u; c < p.classes; c++) { sumExp += exp(logits[row + c] - zMax); }
  let logSum = log(sumExp);
  var loss = 0.0;
  for (var c = 0u; c < p.classes; c++) {
    let logProb = logits[row + c] - zMax - logSum;
    probs[row + c] = exp(logProb);
    loss -= targetDist[row + c] * logProb;
  }
  rowLoss[b] = loss;
}

// meanLoss: rowLoss at 1, loss at 2 (this entry point's own variables).
@group(0) @binding(1) var<storage, read> rowLosses: array<f32>;   // (B)
@group(0) @binding(2) var<storage, read_write> loss: array<f32>;  // [1]

@compute @workgroup_size(WG)
fn meanLoss(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  if (flatIndex(gid, n) >= p.total) { return; }
  var sum = 0.0;
  for (var b = 0u; b < p.batch; b++) { sum += rowLosses[b]; }
  loss[0] = sum / f32(p.batch);
}

// backward: dloss at 1, probs at 2, target at 3, dlogits at 4.
@group(0) @binding(1) var<storage, read> dloss: array<f32>;          // [1]
@group(0) @binding(2) var<storage, read> probsSaved: array<f32>;     // (B, K)
@group(0) @binding(3) var<storage, read> targetDistIn: array<f32>;   // (B, K)
@group(0) @binding(4) var<storage, read_write> dlogits: array<f32>;  // (B, K)

@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  dlogits[i] = dloss[0] * (probsSaved[i] - targetDistIn[i]) / f32(p.batch);
}
