// conv2d.ts: Conv2D from one input channel with TF 'same' zero padding, the TF-fusion paths (the reference's
// conv2d.forward; shaders/conv2d.wgsl).
//   y[b,t,f,c] = bias[c] + Σ_{i,j} w[c,0,i,j] · x[b, t+i−padT, f+j−padF],  x = 0 outside the image,
//   padT = ⌊(KH−1)/2⌋, padF = ⌊(KW−1)/2⌋ (TF 'same': an even kernel's extra pad goes after)
// Reads x (B, T, F), w (C, 1, KH, KW), bias (C); writes y (B, T, F, C); scratch: conv2dScratchBytes(…) bytes =
// gemm.ts's packed weights, then the zero-padded image, Tp = T + KH − 1, Fp = F + KW − 1 f32 per sample, x at
// (padT, padF) of each sample's frame and zeros around it.
// Work split: gemm.ts's 4-row × 8-column tiles over the pixels (b, t, f) in order, y written in order; a pixel's
// input pointer is the top-left of its KH × KW window in the padded image, so no bounds test in the loop. The
// longer kernel axis is made the contiguous one, so each tile step runs the longest unbroken k loop:
// - KH ≤ KW (1×9, 3×3): image (B, Tp, Fp); taps = the KH kernel rows, Fp apart, kin = KW; weights packed (i, j).
//   The cursor steps 1 float per pixel, KW at a row's end, KH·Fp − F + 1 at a sample's end.
// - KH > KW (11×1): image transposed, (B, Fp, Tp); taps = the KW kernel columns, Tp apart, kin = KH; weights
//   packed (j, i). The cursor steps Tp per pixel, 1 − (F−1)·Tp at a row's end, KW·Tp − T + 1 at a sample's end.
//   (11 taps as 11 one-element rows instead ran 1.6x slower: bench/RESULTS.md.)

import { gemmRows, pack, packedBytes, paddedWidth } from './gemm';
import { at } from './simd';

export function conv2dScratchBytes(batch: i32, time: i32, freq: i32, chans: i32, kh: i32, kw: i32): i32 {
  return packedBytes(chans, kw, kh) + batch * (time + kh - 1) * (freq + kw - 1) * 4;
}

export function conv2dForward(
  x: usize, w: usize, bias: usize, y: usize, scratch: usize,
  batch: i32, time: i32, freq: i32, chans: i32, kh: i32, kw: i32,
): void {
  const packed = scratch;
  const image = packed + <usize>packedBytes(chans, kw, kh);
  const padT = (kh - 1) / 2;
  const padF = (kw - 1) / 2;
  const tp = time + kh - 1;
  const fp = freq + kw - 1;
  memory.fill(image, 0, <usize>(batch * tp * fp) << 2);
  if (kh > kw) {
    // Taller than wide (11×1): the image transposed, (B, Fp, Tp), so a kernel column's KH taps are consecutive.
    // Taps are the KW columns, Tp apart; pixels still go (b, t, f), y in order.
    pack(w, bias, packed, chans, kh, kw, kh * kw, kw, 1);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < time; t++) {
        const src = at(x, (b * time + t) * freq);
        const dst = at(image, b * fp * tp + padF * tp + t + padT);
        for (let f = 0; f < freq; f++) store<f32>(dst + ((<usize>(f * tp)) << 2), load<f32>(at(src, f)));
      }
    }
    gemmRows(
      batch * time * freq, freq, time,
      image, tp << 2, (1 - (freq - 1) * tp) << 2, (kw * tp - time + 1) << 2,
      y, chans << 2, chans << 2, chans << 2,
      packed, at(packed, paddedWidth(chans)), chans, kh, kw, tp << 2,
    );
    return;
  }
  pack(w, bias, packed, chans, kw, kh, kh * kw, 1, kw);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      memory.copy(at(image, (b * tp + t + padT) * fp + padF), at(x, (b * time + t) * freq), <usize>freq << 2);
    }
  }
  gemmRows(
    batch * time * freq, freq, time,
    image, 4, kw << 2, (kh * fp - freq + 1) << 2,
    y, chans << 2, chans << 2, chans << 2,
    packed, at(packed, paddedWidth(chans)), chans, kw, kh, fp << 2,
  );
}
