// fft.ts: power spectrum of one periodic-Hann-windowed frame of N_FFT = 2048 real samples (librosa.stft's
// |X|², steps 5 and 6 of ../shared/golden/mfcc/README.md), via a 1024-point complex FFT of the even/odd sample
// pairs and the usual split into the 1025 one-sided bins. Float32 throughout: the README's "plain" float32
// variant (radix-2, float32 twiddles) stays within the native-rate MFCC tolerance with room to spare.
//
// Memory map, all static (memory.data, zeroed at load), filled once by initFft():
//   region        offset   length             type  contents
//   HANN_WINDOW   static   N_FFT              f32   w[n] = 0.5 − 0.5 cos(2πn / N_FFT), periodic (fftbins=True)
//   BIT_REVERSE   static   FFT_SIZE / 4       i32   rev10(4q) for q = 0..255: the bit-reversed start of quad q
//   TWIDDLE_RE    static   FFT_SIZE           f32   stage of half-size h (h = 4..512) at [h, 2h): cos(−πj/h)
//   TWIDDLE_IM    static   FFT_SIZE           f32   same layout: sin(−πj/h); contiguous per stage for f32x4
//   SPLIT_RE      static   FFT_SIZE / 2       f32   cos(−2πk/N_FFT), k = 0..511: the real-FFT split twiddles
//   SPLIT_IM      static   FFT_SIZE / 2       f32   sin(−2πk/N_FFT)
//   Z_RE, Z_IM    static   FFT_SIZE + 4       f32   the complex FFT in place; element FFT_SIZE repeats element 0
//                                                   so the split reads Z[N − k] for k = 0 without a wrap
//   POWER         static   N_BINS_PADDED      f32   |X[k]|², k = 0..1024; elements 1025..1027 stay 0, so mel
//                                                   bands may read whole f32x4 past the last bin
// framePower() reads a frame of the caller's signal and writes Z_RE, Z_IM and POWER; it never allocates.

/** librosa's `n_fft`: frame length in samples. */
export const N_FFT: i32 = 2048;
/** One-sided bins, 1 + n_fft / 2. */
export const N_BINS: i32 = N_FFT / 2 + 1;
/** POWER's length, N_BINS rounded up to whole f32x4. */
export const N_BINS_PADDED: i32 = (N_BINS + 3) & ~3;
/** The complex FFT's length: the real frame packed as FFT_SIZE (even, odd) pairs. */
const FFT_SIZE: i32 = N_FFT / 2;
const LOG2_FFT_SIZE: i32 = 10;

const HANN_WINDOW: usize = memory.data(N_FFT << 2);
const BIT_REVERSE: usize = memory.data((FFT_SIZE / 4) << 2);
const TWIDDLE_RE: usize = memory.data(FFT_SIZE << 2);
const TWIDDLE_IM: usize = memory.data(FFT_SIZE << 2);
const SPLIT_RE: usize = memory.data((FFT_SIZE / 2) << 2);
const SPLIT_IM: usize = memory.data((FFT_SIZE / 2) << 2);
const Z_RE: usize = memory.data((FFT_SIZE + 4) << 2);
const Z_IM: usize = memory.data((FFT_SIZE + 4) << 2);
/** |X[k]|² of the last framePower() call, k = 0..N_BINS − 1, then zeros up to N_BINS_PADDED. */
export const POWER: usize = memory.data(N_BINS_PADDED << 2);

/** Fills HANN_WINDOW, BIT_REVERSE and the twiddle tables (angles in float64, stored rounded to float32). */
export function initFft(): void {
  for (let n = 0; n < N_FFT; n++) {
    store<f32>(HANN_WINDOW + (<usize>n << 2), <f32>(0.5 - 0.5 * Math.cos((2.0 * Math.PI * <f64>n) / <f64>N_FFT)));
  }
  for (let q = 0; q < FFT_SIZE / 4; q++) {
    let r = 0;
    let x = q << 2;
    for (let b = 0; b < LOG2_FFT_SIZE; b++) {
      r = (r << 1) | (x & 1);
      x >>= 1;
    }
    store<i32>(BIT_REVERSE + (<usize>q << 2), r);
  }
  for (let h = 4; h < FFT_SIZE; h <<= 1) {
    for (let j = 0; j < h; j++) {
      const angle = (-Math.PI * <f64>j) / <f64>h;
      store<f32>(TWIDDLE_RE + (<usize>(h + j) << 2), <f32>Math.cos(angle));
      store<f32>(TWIDDLE_IM + (<usize>(h + j) << 2), <f32>Math.sin(angle));
    }
  }
  for (let k = 0; k < FFT_SIZE / 2; k++) {
    const angle = (-2.0 * Math.PI * <f64>k) / <f64>N_FFT;
    store<f32>(SPLIT_RE + (<usize>k << 2), <f32>Math.cos(angle));
    store<f32>(SPLIT_IM + (<usize>k << 2), <f32>Math.sin(angle));
  }
}

/**
 * Windows the frame at `frame` (N_FFT f32 samples) and writes |X[k]|², k = 0..1024, to POWER.
 * Reads `frame`, HANN_WINDOW and the twiddle tables; writes Z_RE, Z_IM, POWER.
 */
export function framePower(frame: usize): void {
  packRadix4(frame);
  for (let h = 4; h < FFT_SIZE; h <<= 1) radix2Stage(h);
  splitPower();
}

/**
 * Packs the windowed frame as z[n] = w[2n]x[2n] + i·w[2n+1]x[2n+1], in bit-reversed order, fused with the first
 * two radix-2 stages (half-sizes 1 and 2, twiddles 1 and −i: a 4-point DFT with no multiplications).
 * For i = 4q, rev(i + 1) = rev(i) + 512, rev(i + 2) = rev(i) + 256, rev(i + 3) = rev(i) + 768.
 */
@inline function packRadix4(frame: usize): void {
  for (let q = 0; q < FFT_SIZE / 4; q++) {
    const n0 = <usize>load<i32>(BIT_REVERSE + (<usize>q << 2));
    // Sample pair n sits at byte 8n of the frame and of the window.
    const p0 = n0 << 3;
    const p1 = (n0 + <usize>(FFT_SIZE / 2)) << 3;
    const p2 = (n0 + <usize>(FFT_SIZE / 4)) << 3;
    const p3 = (n0 + <usize>((3 * FFT_SIZE) / 4)) << 3;
    const a0r = load<f32>(frame + p0) * load<f32>(HANN_WINDOW + p0);
    const a0i = load<f32>(frame + p0, 4) * load<f32>(HANN_WINDOW + p0, 4);
    const a1r = load<f32>(frame + p1) * load<f32>(HANN_WINDOW + p1);
    const a1i = load<f32>(frame + p1, 4) * load<f32>(HANN_WINDOW + p1, 4);
    const a2r = load<f32>(frame + p2) * load<f32>(HANN_WINDOW + p2);
    const a2i = load<f32>(frame + p2, 4) * load<f32>(HANN_WINDOW + p2, 4);
    const a3r = load<f32>(frame + p3) * load<f32>(HANN_WINDOW + p3);
    const a3i = load<f32>(frame + p3, 4) * load<f32>(HANN_WINDOW + p3, 4);
    // Half-size 1: (a0, a1) and (a2, a3), twiddle 1.
    const b0r = a0r + a1r, b0i = a0i + a1i, b1r = a0r - a1r, b1i = a0i - a1i;
    const b2r = a2r + a3r, b2i = a2i + a3i, b3r = a2r - a3r, b3i = a2i - a3i;
    // Half-size 2: (b0, b2) with twiddle 1, (b1, b3) with twiddle −i: −i·b3 = (b3i, −b3r).
    const out = <usize>q << 4;
    v128.store(Z_RE + out, f32x4(b0r + b2r, b1r + b3i, b0r - b2r, b1r - b3i));
    v128.store(Z_IM + out, f32x4(b0i + b2i, b1i - b3r, b0i - b2i, b1i + b3r));
  }
}

/** One radix-2 decimation-in-time stage of half-size h ≥ 4 over Z, four butterflies per f32x4. */
@inline function radix2Stage(h: i32): void {
  const twRe = TWIDDLE_RE + (<usize>h << 2);
  const twIm = TWIDDLE_IM + (<usize>h << 2);
  const spanBytes = <usize>h << 2;
  for (let i = 0; i < FFT_SIZE; i += h << 1) {
    const block = <usize>i << 2;
    for (let j: usize = 0; j < spanBytes; j += 16) {
      const a = block + j;
      const b = a + spanBytes;
      const wr = v128.load(twRe + j);
      const wi = v128.load(twIm + j);
      const br = v128.load(Z_RE + b);
      const bi = v128.load(Z_IM + b);
      const tr = f32x4.sub(f32x4.mul(br, wr), f32x4.mul(bi, wi));
      const ti = f32x4.add(f32x4.mul(br, wi), f32x4.mul(bi, wr));
      const ar = v128.load(Z_RE + a);
      const ai = v128.load(Z_IM + a);
      v128.store(Z_RE + a, f32x4.add(ar, tr));
      v128.store(Z_IM + a, f32x4.add(ai, ti));
      v128.store(Z_RE + b, f32x4.sub(ar, tr));
      v128.store(Z_IM + b, f32x4.sub(ai, ti));
    }
  }
}

/**
 * Turns Z = FFT(z) into the real frame's power. With Z[N] ≡ Z[0] (N = FFT_SIZE), E' = Z[k] + conj Z[N−k] and
 * O' = (Z[k] − conj Z[N−k]) / i are twice the even- and odd-sample spectra, so X[k] = (E' + W^k O') / 2 and,
 * because W^(N−k) = −conj W^k, X[N−k] = conj(E' − W^k O') / 2. One pass over k = 0..511 gives bins k and
 * 1024 − k (k = 0 gives bins 0 and 1024); bin 512 is |Z[512]|².
 */
@inline function splitPower(): void {
  store<f32>(Z_RE + (<usize>FFT_SIZE << 2), load<f32>(Z_RE));
  store<f32>(Z_IM + (<usize>FFT_SIZE << 2), load<f32>(Z_IM));
  const quarter = f32x4.splat(0.25);
  for (let k = 0; k < FFT_SIZE / 2; k += 4) {
    const lo = <usize>k << 2;
    // Z[N−k−3 .. N−k], reversed so that lane j holds Z[N − (k + j)].
    const hi = <usize>(FFT_SIZE - k - 3) << 2;
    const ar = v128.load(Z_RE + lo);
    const ai = v128.load(Z_IM + lo);
    const brLoaded = v128.load(Z_RE + hi);
    const biLoaded = v128.load(Z_IM + hi);
    const br = f32x4.shuffle(brLoaded, brLoaded, 3, 2, 1, 0);
    const bi = f32x4.shuffle(biLoaded, biLoaded, 3, 2, 1, 0);
    const er = f32x4.add(ar, br);
    const ei = f32x4.sub(ai, bi);
    const or = f32x4.add(ai, bi);
    const oi = f32x4.sub(br, ar);
    const wr = v128.load(SPLIT_RE + lo);
    const wi = v128.load(SPLIT_IM + lo);
    const tr = f32x4.sub(f32x4.mul(wr, or), f32x4.mul(wi, oi));
    const ti = f32x4.add(f32x4.mul(wr, oi), f32x4.mul(wi, or));
    const xr = f32x4.add(er, tr);
    const xi = f32x4.add(ei, ti);
    const yr = f32x4.sub(er, tr);
    const yi = f32x4.sub(ei, ti);
    v128.store(POWER + lo, f32x4.mul(quarter, f32x4.add(f32x4.mul(xr, xr), f32x4.mul(xi, xi))));
    const py = f32x4.mul(quarter, f32x4.add(f32x4.mul(yr, yr), f32x4.mul(yi, yi)));
    // Lane j is bin 1024 − (k + j): stored reversed from bin 1021 − k.
    v128.store(POWER + (<usize>(N_FFT / 2 - k - 3) << 2), f32x4.shuffle(py, py, 3, 2, 1, 0));
  }
  const mr = load<f32>(Z_RE + (<usize>(FFT_SIZE / 2) << 2));
  const mi = load<f32>(Z_IM + (<usize>(FFT_SIZE / 2) << 2));
  store<f32>(POWER + (<usize>(FFT_SIZE / 2) << 2), mr * mr + mi * mi);
}
