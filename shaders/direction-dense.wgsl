// direction-dense.wgsl: a pointwise linear map over the last axis with each direction's own weights, both
// directions in one dispatch (the branches' conv_in at inference):
//   y[n,r,o] = b[d,o] + Σ_i w[d,i,o] · x[n,r,i],   n = d·B + b (direction-stacked samples), d ∈ {0, 1}.
// w comes packed (2, In, O4), O4 = ⌈Out/4⌉ vec4s of 4 outputs, zero-padded, so one load gives 4 outputs' weight.
// Work split: one invocation per (n, SPAN rows, 4 outputs), SPAN vec4 sums: per input i one weight vec4 and SPAN
// x loads for 16 multiply-adds (one row × 4 scalar weight loads ran 2.5× slower). No workgroup memory (llvmpipe:
// WebGPU runbook, pitfall 6).
struct Params {
  batch: u32,    // B, samples per direction
  rows: u32,     // R, rows per sample (T)
  inputs: u32,   // In
  outputs: u32,  // Out
  total: u32,    // 2B · ⌈R/SPAN⌉ · ⌈Out/4⌉
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts

const LANES = vec4u(0u, 1u, 2u, 3u);
// Rows per invocation.
const SPAN: u32 = 4u;

@group(0) @binding(1) var<storage, read> x: array<f32>;        // (2B, R, In)
@group(0) @binding(2) var<storage, read> w: array<vec4f>;      // (2, In, O4) packed
@group(0) @binding(3) var<storage, read> b: array<f32>;        // (2, Out)
@group(0) @binding(4) var<storage, read_write> y: array<f32>;  // (2B, R, Out)

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = gid.x + gid.y * nw.x * WG;
  if (i >= p.total) { return; }
  let oTiles = (p.outputs + 3u) / 4u;
  let rTiles = (p.rows + SPAN - 1u) / SPAN;
  let o0 = i % oTiles * 4u;
  let r0 = i / oTiles % rTiles * SPAN;
  let n = i / (oTiles * rTiles);
  let d = n / p.batch;
  let o = min(vec4u(o0) + LANES, vec4u(p.outputs - 1u));
  let bo = d * p.outputs;
  let bias = vec4f(b[bo + o.x], b[bo + o.y], b[bo + o.z], b[bo + o.w]);
  var acc = array<vec4f, 4>(bias, bias, bias, bias);
  var rowStart: array<u32, 4>;
  for (var j = 0u; j < SPAN; j++) { rowStart[j] = (n * p.rows + min(r0 + j, p.rows - 1u)) * p.inputs; }
  let w0 = d * p.inputs * oTiles + o0 / 4u;
  for (var k = 0u; k < p.inputs; k++) {
    let wk = w[w0 + k * oTiles];
    acc[0] += x[rowStart[0] + k] * wk;
    acc[1] += x[rowStart[1] + k] * wk;
    acc[2] += x[rowStart[2] + k] * wk;
    acc[3] += x[rowStart[3] + k] * wk;
  }
  for (var j = 0u; j < SPAN; j++) {
    let r = r0 + j;
    for (var c = 0u; c < 4u; c++) {
      if (r < p.rows && o0 + c < p.outputs) { y[(n * p.rows + r) * p.outputs + o0 + c] = acc[j][c]; }
    }
  }
}
