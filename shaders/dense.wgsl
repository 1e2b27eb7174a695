// dense.wgsl: pointwise linear map over the last axis (Dense, Conv1D k = 1, the 1×1 Conv2D); forward,
// backwardInput, backwardWeight (two passes: backwardWeightPartial, then sumChunks).
//   forward:       y[r, o]  = bias[o] + Σ_i w[o, i] · x[r, i]
//   backwardInput: dx[r, i] = Σ_o dy[r, o] · w[o, i]
//   backwardWeight dw[o, i] = Σ_r dy[r, o] · x[r, i] = Σ_chunk partial[chunk, o, i]
// r runs over every leading axis flattened (R rows); w is (Out, In) row-major, whatever its rank.
//
// Work split: one invocation per 4×4 tile of its output, the 16 sums in four vec4 registers (register blocking:
// per step of the inner loop 8 loads feed 16 multiply-adds; one output per invocation would need 2 loads per
// multiply-add). A tile's 4 rows are strided (see tileOf); tiles past the last row or column load clamped (valid)
// indices and do not store those elements (Out = 1 has its own entry points, below).
// No workgroup memory: llvmpipe runs barrier kernels 2–10× slower than register-only ones (WebGPU runbook,
// pitfall 6). backwardWeight reduces over R (up to ~1.4M rows for the 1×1 conv at batch 64): instead of a
// serial sum of R terms per output, backwardWeightPartial sums chunks of rowsPerChunk rows into
// partial (chunks, Out, In) and sumChunks adds the chunks, so thousands of invocations run and each f32 sum is short.
// sumChunks is generic (column sums of a (chunks, total) matrix) and also serves conv2d.backwardWeight.
//
// Out = 1 (the 1×1 conv: y[r] = bias + Σ_i w[i] · x[r, i]) with R a multiple of 4 has its own `…Single` entry
// points, which read and write vec4s. A block of 4 consecutive rows is 4·In floats = In whole vec4s whatever In is
// (39 here, so rows straddle vec4s). Element e < 4·In of a block is x[4b + e / In, e % In], so the weight of every
// lane is fixed by its position in the block: tileWeights writes wt[e] = w[e % In] once, and vec4 v of any block
// pairs with wt4[v]. The row of lane e is the number of row starts In, 2·In, 3·In at or below e (compares and
// selects, no division). The same entry points serve one weight row per sample: S rows, each used by the
// `sampleBlocks` consecutive blocks of its sample (the SE-gated 1×1 conv, w[n, i] = gate[n, i] · w[i]); wt then
// holds S tiled rows. At the batch-64 1×1 conv on llvmpipe they ran 1.4× (forward, backwardInput) and 1.5× (weight
// gradient) faster than the 4×4 tiles, which load x one f32 at a time and, with Out = 1, spend 3 of 4 weight loads
// and 12 of 16 multiply-adds on padding (one process, alternating, median of 3).
struct Params {
  rows: u32,          // R, every leading axis of x (or dy) flattened
  cin: u32,           // In, x's last axis
  cout: u32,          // Out, y's last axis
  rowsPerChunk: u32,  // backwardWeightPartial: rows summed by one chunk
  chunks: u32,        // backwardWeightPartial and sumChunks: ⌈R / rowsPerChunk⌉, or the chunk count of the caller
  total: u32,         // invocations of this dispatch (tiles, chunks · tiles, or outputs of sumChunks;
                      // …Single: blocks R / 4, or S · stride; tileWeights: S · 4 · In)
  sampleBlocks: u32,  // …Single: blocks (of 4 rows) per weight row: R / 4 / S
  stride: u32,        // backwardWeightSingle: invocations per weight row, a multiple of In
}
@group(0) @binding(0) var<uniform> p: Params;

override WG: u32 = 64;  // set from WORKGROUP_SIZE in dispatch-size.ts; compatibility devices allow 128 by default

// Side of the register tile; the vec4 accumulators and the vec4u index vectors below are built for 4.
const TILE: u32 = 4u;
const LANES = vec4u(0u, 1u, 2u, 3u);

// The flat invocation index, rebuilt from the 2-D dispatch (dispatch-size.ts splits over y above 65535 groups).
fn flatIndex(gid: vec3u, n: vec3u) -> u32 {
  return gid.x + gid.y * n.x * WG;
}

// Tile `tile` of a (rows, cols) output, column tiles fastest: its rows r + q·⌈rows/4⌉, q = 0 … 3 (strided, so at
// each step neighbouring invocations read neighbouring rows: 1.2–2.8× faster on llvmpipe than 4 adjacent rows per
// invocation) and its first column. Rows past the end are rows ≥ `rows`.
struct Tile {
  rows: vec4u,
  col0: u32,
}

fn tileOf(tile: u32, rows: u32, cols: u32) -> Tile {
  let colTiles = (cols + TILE - 1u) / TILE;
  let rowTiles = (rows + TILE - 1u) / TILE;
  return Tile(vec4u(tile / colTiles) + LANES * rowTiles, tile % colTiles * TILE);
}

// The four indices first, first + 1, … clamped to count − 1, so the loads of a partial tile stay in bounds.
fn clamped4(first: u32, count: u32) -> vec4u {
  return min(vec4u(first) + LANES, vec4u(count - 1u));
}

// True where (row, col) lies inside a (rows, cols) matrix: a partial tile stores only those elements.
fn inside(row: u32, col: u32, rows: u32, cols: u32) -> bool {
  return row < rows && col < cols;
}

@group(0) @binding(1) var<storage, read> x: array<f32>;         // (R, In)
@group(0) @binding(2) var<storage, read> w: array<f32>;         // (Out, In)
@group(0) @binding(3) var<storage, read> bias: array<f32>;      // (Out)
@group(0) @binding(4) var<storage, read_write> y: array<f32>;   // (R, Out)

// One 4-row × 4-output tile of y; acc[q] holds outputs o0 … o0 + 3 of row r0 + q.
@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let tile = tileOf(i, p.rows, p.cout);
  let r = min(tile.rows, vec4u(p.rows - 1u)) * p.cin;  // row starts in x, clamped
  let o = clamped4(tile.col0, p.cout);
  let wRow = o * p.cin;
  let b = vec4f(bias[o.x], bias[o.y], bias[o.z], bias[o.w]);
  var acc = array<vec4f, 4>(b, b, b, b);
  for (var k = 0u; k < p.cin; k++) {
    let wk = vec4f(w[wRow.x + k], w[wRow.y + k], w[wRow.z + k], w[wRow.w + k]);
    acc[0] += x[r.x + k] * wk;
    acc[1] += x[r.y + k] * wk;
    acc[2] += x[r.z + k] * wk;
    acc[3] += x[r.w + k] * wk;
  }
  for (var q = 0u; q < TILE; q++) {
    for (var c = 0u; c < TILE; c++) {
      let row = tile.rows[q];
      let col = tile.col0 + c;
      if (inside(row, col, p.rows, p.cout)) { y[row * p.cout + col] = acc[q][c]; }
    }
  }
}

// backwardInput: dy at 1, w at 2, dx at 3.
@group(0) @binding(1) var<storage, read> dy: array<f32>;         // (R, Out)
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;   // (R, In)

// One 4-row × 4-input tile of dx; acc[q] holds inputs i0 … i0 + 3 of row r0 + q.
@compute @workgroup_size(WG)
fn backwardInput(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let tile = tileOf(i, p.rows, p.cin);
  let r = min(tile.rows, vec4u(p.rows - 1u)) * p.cout;  // row starts in dy, clamped
  let cols = clamped4(tile.col0, p.cin);
  var acc = array<vec4f, 4>();
  for (var o = 0u; o < p.cout; o++) {
    let wo = o * p.cin;
    let wk = vec4f(w[wo + cols.x], w[wo + cols.y], w[wo + cols.z], w[wo + cols.w]);
    acc[0] += dy[r.x + o] * wk;
    acc[1] += dy[r.y + o] * wk;
    acc[2] += dy[r.z + o] * wk;
    acc[3] += dy[r.w + o] * wk;
  }
  for (var q = 0u; q < TILE; q++) {
    for (var c = 0u; c < TILE; c++) {
      let row = tile.rows[q];
      let col = tile.col0 + c;
      if (inside(row, col, p.rows, p.cin)) { dx[row * p.cin + col] = acc[q][c]; }
    }
  }
}

// backwardWeightPartial: dy at 1, x at 2 (the forward's input), partial at 3.
@group(0) @binding(2) var<storage, read> xSaved: array<f32>;          // (R, In)
@group(0) @binding(3) var<storage, read_write> partial: array<f32>;   // (chunks, Out, In)

// One 4-output × 4-input tile of dw summed over the rows of one chunk; invocations of a chunk are adjacent, so
// neighbouring invocations read the same rows. acc[q] holds inputs i0 … i0 + 3 of output o0 + q.
@compute @workgroup_size(WG)
fn backwardWeightPartial(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let tiles = ((p.cout + TILE - 1u) / TILE) * ((p.cin + TILE - 1u) / TILE);
  let chunk = i / tiles;
  let tile = tileOf(i % tiles, p.cout, p.cin);
  let o = min(tile.rows, vec4u(p.cout - 1u));
  let cols = clamped4(tile.col0, p.cin);
  var acc = array<vec4f, 4>();
  let rowEnd = min(p.rows, (chunk + 1u) * p.rowsPerChunk);
  for (var row = chunk * p.rowsPerChunk; row < rowEnd; row++) {
    let xr = row * p.cin;
    let xk = vec4f(xSaved[xr + cols.x], xSaved[xr + cols.y], xSaved[xr + cols.z], xSaved[xr + cols.w]);
    let dr = row * p.cout;
    acc[0] += dy[dr + o.x] * xk;
    acc[1] += dy[dr + o.y] * xk;
    acc[2] += dy[dr + o.z] * xk;
    acc[3] += dy[dr + o.w] * xk;
  }
  let base = chunk * p.cout * p.cin;
  for (var q = 0u; q < TILE; q++) {
    for (var c = 0u; c < TILE; c++) {
      let row = tile.rows[q];
      let col = tile.col0 + c;
      if (inside(row, col, p.cout, p.cin)) { partial[base + row * p.cin + col] = acc[q][c]; }
    }
  }
}

// sumChunks: partial at 1, sums at 2.
@group(0) @binding(1) var<storage, read> chunkSums: array<f32>;   // (chunks, total)
@group(0) @binding(2) var<storage, read_write> sums: array<f32>;  // (total)

// sums[j] = Σ_c chunkSums[c, j]; one invocation per output, chunks in order.
@compute @workgroup_size(WG)
fn sumChunks(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let j = flatIndex(gid, n);
  if (j >= p.total) { return; }
  var sum = 0.0;
  for (var c = 0u; c < p.chunks; c++) {
    sum += chunkSums[c * p.total + j];
  }
  sums[j] = sum;
}

// The Out = 1 entry points (see the header). Block b holds rows 4b … 4b + 3: vec4s b·In … b·In + In − 1 of x.

// tileWeights: w at 1, wt at 2 (this entry point's own variables).
@group(0) @binding(1) var<storage, read> wSingle: array<f32>;   // (S, In): the one output's weight rows
@group(0) @binding(2) var<storage, read_write> wt: array<f32>;  // (S, 4 · In): each row tiled four times

@compute @workgroup_size(WG)
fn tileWeights(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let e = flatIndex(gid, n);
  if (e >= p.total) { return; }
  let tiled = 4u * p.cin;
  wt[e] = wSingle[e / tiled * p.cin + e % tiled % p.cin];
}

// Which lanes of vec4 v lie at or past the row starts In, 2·In, 3·In of its block: lane k (element 4v + k) is in
// row 0 … 3 as it passes none … all three.
struct RowStarts { second: vec4<bool>, third: vec4<bool>, fourth: vec4<bool> }
fn rowStarts(v: u32) -> RowStarts {
  let e = 4u * v + LANES;
  return RowStarts(e >= vec4u(p.cin), e >= vec4u(2u * p.cin), e >= vec4u(3u * p.cin));
}

// Which lanes of vec4 v are in row r = 0 … 3 of its block.
fn rowMasks(v: u32) -> array<vec4<bool>, 4> {
  let s = rowStarts(v);
  return array<vec4<bool>, 4>(!s.second, s.second & !s.third, s.third & !s.fourth, s.fourth);
}

// The four blocks of invocation i of forwardSingle: blocks j, j + Q, j + 2Q, j + 3Q of its sample's
// SB = sampleBlocks (Q = ⌈SB / 4⌉, invocation i = sample · Q + j), which share the sample's weight row, so each
// weight vec4 loaded serves four x vec4s; neighbouring invocations take neighbouring blocks. Blocks past SB are not
// valid: they alias block j (read, never written).
struct Quad { blocks: vec4u, valid: vec4<bool>, wRow: u32 }
fn quadOf(i: u32) -> Quad {
  let quarter = (p.sampleBlocks + 3u) / 4u;
  let sample = i / quarter;
  let j = i % quarter;
  let valid = vec4u(j) + quarter * LANES < vec4u(p.sampleBlocks);
  let blocks = sample * p.sampleBlocks + j + quarter * select(vec4u(0u), LANES, valid);
  return Quad(blocks, valid, sample * p.cin);
}

// Each lane's value of its row, from the block's four row values (selects: no dynamic vector indexing).
fn perLane(rowValues: vec4f, s: RowStarts) -> vec4f {
  let first2 = select(vec4f(rowValues.x), vec4f(rowValues.y), s.second);
  return select(select(first2, vec4f(rowValues.z), s.third), vec4f(rowValues.w), s.fourth);
}

// forwardSingle: x at 1, wt at 2, bias at 3, y at 4, as vec4s (y (R) = R / 4 vec4s, one per block).
@group(0) @binding(1) var<storage, read> x4: array<vec4f>;         // (R · In / 4)
@group(0) @binding(2) var<storage, read> wt4: array<vec4f>;        // (S, In): wt as vec4s
@group(0) @binding(4) var<storage, read_write> y4: array<vec4f>;   // (R / 4)

// Four blocks (quadOf): their four dot products each. Each lane's product goes to its row's vec4 accumulator
// (lane-wise adds), and the accumulators are summed across lanes once at the end. One block per invocation loaded
// a weight vec4 for every x vec4: four blocks ran 1.6× faster on llvmpipe (batch 16, alternating, loaded machine).
@compute @workgroup_size(WG)
fn forwardSingle(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let quad = quadOf(i);
  var sums = array<vec4f, 16>();  // sums[4q + r]: row r of block q, lane by lane
  let zero = vec4f(0.0);
  for (var v = 0u; v < p.cin; v++) {
    let w = wt4[quad.wRow + v];
    let inRow = rowMasks(v);
    for (var q = 0u; q < 4u; q++) {
      // Lane products split by row (selects, so an inf or NaN stays in its own row).
      let prod = x4[quad.blocks[q] * p.cin + v] * w;
      for (var r = 0u; r < 4u; r++) { sums[4u * q + r] += select(zero, prod, inRow[r]); }
    }
  }
  let ones = vec4f(1.0);
  for (var q = 0u; q < 4u; q++) {
    let d = vec4f(dot(sums[4u * q], ones), dot(sums[4u * q + 1u], ones), dot(sums[4u * q + 2u], ones), dot(sums[4u * q + 3u], ones));
    if (quad.valid[q]) { y4[quad.blocks[q]] = bias[0] + d; }
  }
}

// backwardInputSingle: dy at 1, wt at 2, dx at 3, as vec4s.
@group(0) @binding(1) var<storage, read> dy4: array<vec4f>;        // (R / 4)
@group(0) @binding(3) var<storage, read_write> dx4: array<vec4f>;  // (R · In / 4)

// dx[r, i] = dy[r] · w[i]: one block, each lane scaled by its row's dy. (Four blocks per invocation sharing the
// weight loads, as forwardSingle does, ran 1.1× slower here: this pass is bound by its stores.)
@compute @workgroup_size(WG)
fn backwardInputSingle(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let b = flatIndex(gid, n);
  if (b >= p.total) { return; }
  let g = dy4[b];
  let base = b * p.cin;
  let wRow = b / p.sampleBlocks * p.cin;
  for (var v = 0u; v < p.cin; v++) { dx4[base + v] = wt4[wRow + v] * perLane(g, rowStarts(v)); }
}

// backwardWeightSingle: dy at 1, x at 2, partial at 3, as vec4s.
@group(0) @binding(2) var<storage, read> xSaved4: array<vec4f>;        // (R · In / 4)
@group(0) @binding(3) var<storage, read_write> partial4: array<vec4f>; // (S, stride) vec4s = (S, 4 · stride / In, In)

// A channel-aligned walk (src/backends/webgpu/channel-walk.ts) over the vec4s of each weight row's blocks (slab s):
// invocation (s, j), j < stride (a multiple of In), visits vec4s j, j + stride, … of slab s, all at position j % In
// of their blocks, so its lanes keep their channels (4 · (j % In) + k) % In and their rows within the block. It sums
// x times each lane's dy into partial4[s · stride + j]: per-channel partial sums, which the host sums. Neighbouring
// invocations read neighbouring vec4s at every step (walking one position down consecutive blocks instead ran at
// 0.6× the speed of the 4×4 tiles on llvmpipe, this walk at 1.5×).
@compute @workgroup_size(WG)
fn backwardWeightSingle(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = flatIndex(gid, n);
  if (i >= p.total) { return; }
  let s = i / p.stride;
  let j = i % p.stride;
  let starts = rowStarts(j % p.cin);
  let vectors = p.sampleBlocks * p.cin;
  let base = s * vectors;
  let blockStep = p.stride / p.cin;
  var b = s * p.sampleBlocks + j / p.cin;
  var acc = vec4f(0.0);
  for (var v = j; v < vectors; v += p.stride) {
    acc += xSaved4[base + v] * perLane(dy4[b], starts);
    b += blockStep;
  }
  partial4[i] = acc;
}
