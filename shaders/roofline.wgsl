// roofline.wgsl: the two ceilings of this adapter's kernels, for the per-kernel tables of `msse bench`;
// multiplyAdd, copy.
// multiplyAdd: every invocation runs `rounds` rounds of CHAINS independent vec4 chains acc = acc · scale + shift
//   on registers, then stores their sum once (so the compiler keeps the loop): 2 · 4 · CHAINS FLOP a round and no
//   other memory traffic. Its GFLOP/s is the compute ceiling a kernel without workgroup memory can reach.
// copy: y4[v] = x4[v], the vec4 grid-stride walk of the elementwise kernels (relu.wgsl `forward`, two vec4s an
//   invocation): its GB/s (read + write, 8 bytes an element) is the bandwidth ceiling of such kernels.
// Work split: one invocation per multiplyAdd lane; `stride` invocations walk the `vectors` vec4s of copy. No
// workgroup memory (llvmpipe runs barrier kernels 2–10× slower). The host splits dispatches above 65535 workgroups
// over y.
struct Params {
  rounds: u32,       // multiplyAdd: rounds per invocation
  invocations: u32,  // multiplyAdd: invocations that store (the guard)
  vectors: u32,      // copy: whole vec4s to copy
  stride: u32,       // copy: invocations, each walking vec4s j, j + stride, …
  scale: f32,        // multiplyAdd: from the host, so the chains cannot be folded at compile time
  shift: f32,
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// Independent chains per invocation: enough to hide the latency of a multiply-add (4–5 cycles) at one issue a cycle.
const CHAINS: u32 = 8u;

// The flat invocation index, rebuilt from the 2-D dispatch.
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

@group(0) @binding(1) var<storage, read_write> sums: array<vec4f>;  // (invocations): each invocation's chain sum

@compute @workgroup_size(WG)
fn multiplyAdd(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.invocations) { return; }
  var acc: array<vec4f, CHAINS>;
  for (var c = 0u; c < CHAINS; c++) { acc[c] = vec4f(f32(i), f32(c), 1.0, 2.0); }
  let scale = vec4f(p.scale);
  let shift = vec4f(p.shift);
  for (var r = 0u; r < p.rounds; r++) {
    acc[0] = acc[0] * scale + shift;
    acc[1] = acc[1] * scale + shift;
    acc[2] = acc[2] * scale + shift;
    acc[3] = acc[3] * scale + shift;
    acc[4] = acc[4] * scale + shift;
    acc[5] = acc[5] * scale + shift;
    acc[6] = acc[6] * scale + shift;
    acc[7] = acc[7] * scale + shift;
  }
  var sum = vec4f(0.0);
  for (var c = 0u; c < CHAINS; c++) { sum += acc[c]; }
  sums[i] = sum;
}

// copy: x at 1, y at 2 (this entry point's own variables).
@group(0) @binding(1) var<storage, read> x4: array<vec4f>;        // (vectors)
@group(0) @binding(2) var<storage, read_write> y4: array<vec4f>;  // (vectors)

@compute @workgroup_size(WG)
fn copy(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let j = flatIndex(gid, n);
  if (j >= p.stride) { return; }
  for (var v = j; v < p.vectors; v += p.stride) { y4[v] = x4[v]; }
}
