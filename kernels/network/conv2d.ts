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

import { partRow } from './accumulate';
import { gemmRows, pack, packedBytes, paddedWidth } from './gemm';
import { at, LANES, laneMask, lanesSum } from './simd';

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

// ---- training ---- (padT, padF as above)
// conv2dBackwardInput: dx[b,t,f] = Σ_{i,j} Σ_c dy[b, t−i+padT, f−j+padF, c] · w[c,0,i,j] over outputs inside
//   the image. Scratch: conv2dBackwardInputScratchBytes(C, KH, KW) = w as (KH·KW, Cpad), Cpad = C rounded up to
//   f32x4, zero past C. Per pixel one f32x4 sum over its valid taps (i, j) and channel vectors, the last partial
//   vector of dy masked (its loads reach the next pixel or SLACK), then the lane sum.
// conv2dBackwardWeight: dw[c,0,i,j] = Σ_{b,t,f} dy[b,t,f,c] · x[b, t+i−padT, f+j−padF], a sample per part
//   (accumulate.ts). conv2dBackwardWeightParts, for samples [lo, hi) through gemm.ts: rows c of dy transposed to
//   (C, T·F), times the sample's patches laid out as gemm weights (T·F rows of the KH·KW taps q = i·KW + j, zero
//   outside the image; a zero bias row), so kin = T·F and n = KH·KW; the (C, KH·KW) result, already dw's layout,
//   is the sample's row of partials. Scratch: conv2dBackwardWeightScratchBytes(C, KH, KW, T, F) per range = dyᵀ,
//   then the patches. sumParts adds the B rows in sample order into dw.

export function conv2dBackwardInputScratchBytes(chans: i32, kh: i32, kw: i32): i32 {
  return kh * kw * paddedWidth(chans) * 4;
}

export function conv2dBackwardInput(
  dy: usize, w: usize, dx: usize, scratch: usize,
  batch: i32, time: i32, freq: i32, chans: i32, kh: i32, kw: i32,
): void {
  const cpad = paddedWidth(chans);
  const taps = kh * kw;
  for (let q = 0; q < taps; q++) {
    for (let c = 0; c < cpad; c++) store<f32>(at(scratch, q * cpad + c), c < chans ? load<f32>(at(w, c * taps + q)) : 0);
  }
  const padT = (kh - 1) / 2;
  const padF = (kw - 1) / 2;
  const whole = chans & ~(LANES - 1);
  const tailMask = laneMask(chans - whole);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      for (let f = 0; f < freq; f++) {
        let sum = f32x4.splat(0);
        for (let i = 0; i < kh; i++) {
          const to = t - i + padT;
          if (to < 0 || to >= time) continue;
          for (let j = 0; j < kw; j++) {
            const fo = f - j + padF;
            if (fo < 0 || fo >= freq) continue;
            const g = at(dy, ((b * time + to) * freq + fo) * chans);
            const wr = at(scratch, (i * kw + j) * cpad);
            let c = 0;
            for (; c < whole; c += LANES) sum = f32x4.add(sum, f32x4.mul(v128.load(at(g, c)), v128.load(at(wr, c))));
            if (c < chans) sum = f32x4.add(sum, f32x4.mul(v128.and(v128.load(at(g, c)), tailMask), v128.load(at(wr, c))));
          }
        }
        store<f32>(at(dx, (b * time + t) * freq + f), lanesSum(sum));
      }
    }
  }
}

export function conv2dBackwardWeightScratchBytes(chans: i32, kh: i32, kw: i32, time: i32, freq: i32): i32 {
  const pixels = time * freq;
  return align16(chans * pixels * 4) + packedBytes(kh * kw, pixels, 1);
}

/**
 * dst[c·rows + r] = src[r·cols + c] ((rows, cols) to (cols, rows)): 4 × 4 blocks as f32x4 (four rows loaded, shuffled
 * into four columns), the columns past the last whole block and the rows past the last block of 4 one by one.
 */
function transposeRows(src: usize, dst: usize, rows: i32, cols: i32): void {
  const wholeCols = cols & ~(LANES - 1);
  const wholeRows = rows & ~(LANES - 1);
  for (let r = 0; r < wholeRows; r += LANES) {
    for (let c = 0; c < wholeCols; c += LANES) {
      const r0 = v128.load(at(src, r * cols + c));
      const r1 = v128.load(at(src, (r + 1) * cols + c));
      const r2 = v128.load(at(src, (r + 2) * cols + c));
      const r3 = v128.load(at(src, (r + 3) * cols + c));
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      v128.store(at(dst, c * rows + r), v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
      v128.store(at(dst, (c + 1) * rows + r), v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
      v128.store(at(dst, (c + 2) * rows + r), v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
      v128.store(at(dst, (c + 3) * rows + r), v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
    }
    for (let c = wholeCols; c < cols; c++) {
      for (let k = 0; k < LANES; k++) store<f32>(at(dst, c * rows + r + k), load<f32>(at(src, (r + k) * cols + c)));
    }
  }
  for (let r = wholeRows; r < rows; r++) {
    for (let c = 0; c < cols; c++) store<f32>(at(dst, c * rows + r), load<f32>(at(src, r * cols + c)));
  }
}

@inline function align16(bytes: i32): i32 {
  return (bytes + 15) & ~15;
}

export function conv2dBackwardWeightParts(
  dy: usize, x: usize, partials: usize, scratch: usize,
  lo: i32, hi: i32, time: i32, freq: i32, chans: i32, kh: i32, kw: i32,
): void {
  const pixels = time * freq;
  const taps = kh * kw;
  const npad = paddedWidth(taps);
  const dyT = scratch;
  const patches = dyT + <usize>align16(chans * pixels * 4);
  const padT = (kh - 1) / 2;
  const padF = (kw - 1) / 2;
  memory.fill(patches, 0, <usize>packedBytes(taps, pixels, 1)); // the zero bias row and padding columns
  for (let b = lo; b < hi; b++) {
    const g = at(dy, b * pixels * chans);
    transposeRows(g, dyT, pixels, chans);
    // The patches tap by tap: column q = i·KW + j of row (t, f) is x[t+i−padT, f+j−padF], zero outside the image
    // (the columns past KH·KW stay zero from the fill above).
    const xs = at(x, b * pixels);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const q = i * kw + j;
        const fLo = min(freq, max(0, padF - j)); // f in [fLo, fHi) reads inside the image
        const fHi = max(fLo, min(freq, freq + padF - j));
        for (let t = 0; t < time; t++) {
          const tt = t + i - padT;
          let dst = at(patches, (1 + t * freq) * npad + q);
          const step = <usize>npad << 2;
          if (tt < 0 || tt >= time) {
            for (let f = 0; f < freq; f++, dst += step) store<f32>(dst, 0);
            continue;
          }
          const src = at(xs, tt * freq + j - padF);
          let f = 0;
          for (; f < fLo; f++, dst += step) store<f32>(dst, 0);
          for (; f < fHi; f++, dst += step) store<f32>(dst, load<f32>(at(src, f)));
          for (; f < freq; f++, dst += step) store<f32>(dst, 0);
        }
      }
    }
    const part = partRow(partials, b, chans * taps);
    gemmRows(chans, chans, 1, dyT, pixels << 2, 0, 0, part, taps << 2, 0, 0, patches, at(patches, npad), taps, pixels, 1, 0);
  }
}
