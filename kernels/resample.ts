// resample.ts: band-limited rational resampling by up/down, the WebAssembly port of the algorithm specified in
// src/audio/resample-reference.ts (scipy.signal.resample_poly with a Kaiser-windowed sinc, 64 zero crossings per
// side, β = 14, cut off at the lower Nyquist frequency, unit DC gain, zero phase; see that header). With
// M = max(up, down), K = 64·M and the kernel h(d), |d| ≤ K, output m is
//   y[m] = Σ_j x[j] · h(m·down − j·up).
// Let t = m·down + K, p = t mod up, j0 = ⌊t / up⌋: then y[m] = Σ_i h(p − K + i·up) x[j0 − i], i ≥ 0 while
// p + i·up ≤ 2K. designPhases() stores phase p's taps reversed and front-padded with zeros to `taps`
// (a multiple of 4, resampleTaps()):
//   phases[p·taps + r] = h(p − K + (taps − 1 − r)·up)   (0 where p + (taps − 1 − r)·up > 2K),
// so y[m] = Σ_r phases[p·taps + r] · x[j0 − taps + 1 + r], a contiguous f32x4 dot product.
//
// No memory of its own; the caller's regions:
//   input    f32  [−taps, n + taps)  x at [0, n); resample() writes the zeros at [−taps, 0) and [n, n + taps)
//   phases   f32  up × taps          the phase table above, float32 taps
//   output   f32  nOut               y[0 .. nOut)
// The padding covers every read: j0 ≥ 0, and j0 < n + taps because (nOut − 1)·down < n·up and K < taps·up.

/** Zero crossings of the windowed sinc on each side of its centre. */
const ZERO_CROSSINGS: i32 = 64;
/** Kaiser window shape β (about 140 dB stopband). */
const KAISER_BETA: f64 = 14;
/** Terms of the I0 power series (the 40th is below 1e-28 of the sum for x ≤ 14). */
const BESSEL_I0_TERMS: i32 = 40;

/** Modified Bessel function of the first kind, order 0, by its power series (0 ≤ x ≤ 14). */
function besselI0(x: f64): f64 {
  const quarterSquare = (x * x) / 4;
  let term = 1.0;
  let sum = 1.0;
  for (let k = 1; k < BESSEL_I0_TERMS; k++) {
    term *= quarterSquare / <f64>(k * k);
    sum += term;
  }
  return sum;
}

/** The unnormalised kernel p(d) = (1/M) sinc(d/M) · I0(β√(1 − (d/K)²)) / I0(β), for |d| ≤ K = 64·M. */
function prototype(d: i32, M: i32, i0Beta: f64): f64 {
  const x = <f64>d / <f64>M;
  const sinc = d == 0 ? 1.0 : Math.sin(Math.PI * x) / (Math.PI * x);
  const ratio = <f64>d / <f64>(ZERO_CROSSINGS * M);
  return (sinc * besselI0(KAISER_BETA * Math.sqrt(1 - ratio * ratio))) / i0Beta / <f64>M;
}

/** Taps per phase for ratio up/down: ⌊2K / up⌋ + 1 rounded up to a multiple of 4. */
export function resampleTaps(up: i32, down: i32): i32 {
  const halfLength = ZERO_CROSSINGS * max(up, down);
  return ((2 * halfLength) / up + 1 + 3) & ~3;
}

/**
 * Fills the phase table at `phases` (up × taps f32) for ratio up/down. The kernel is scaled to gain `up` at DC
 * (firwin's unit DC gain, times up for the zeros that up-sampling inserts): every d in [−K, K] lands in exactly
 * one phase, so the float64 sum S of the unscaled taps is taken while they are stored, and a second pass scales
 * them by up / S. Costs 2K + 1 kernel evaluations, once per ratio.
 */
export function designPhases(phases: usize, up: i32, down: i32, taps: i32): void {
  const M = max(up, down);
  const halfLength = ZERO_CROSSINGS * M;
  const i0Beta = besselI0(KAISER_BETA);
  let dcGain = 0.0;
  for (let p = 0; p < up; p++) {
    for (let r = 0; r < taps; r++) {
      const index = p + (taps - 1 - r) * up;
      const tap = index <= 2 * halfLength ? prototype(index - halfLength, M, i0Beta) : 0;
      dcGain += tap;
      store<f32>(phases + (<usize>(p * taps + r) << 2), <f32>tap);
    }
  }
  const scale = <f32>(<f64>up / dcGain);
  const bytes = <usize>(up * taps) << 2;
  for (let i: usize = 0; i < bytes; i += 4) store<f32>(phases + i, load<f32>(phases + i) * scale);
}

/** Resamples n input samples to nOut outputs with the table of designPhases(); float32 taps and sums. */
export function resample(input: usize, n: i32, phases: usize, up: i32, down: i32, taps: i32, output: usize, nOut: i32): void {
  const padBytes = <usize>taps << 2;
  memory.fill(input - padBytes, 0, padBytes);
  memory.fill(input + (<usize>n << 2), 0, padBytes);
  const halfLength = ZERO_CROSSINGS * max(up, down);
  const downWhole = down / up;
  const downRest = down % up;
  let p = halfLength % up;
  let j0 = halfLength / up;
  for (let m = 0; m < nOut; m++) {
    const g = phases + (<usize>(p * taps) << 2);
    const x = input + (<usize>(j0 + 1) << 2) - padBytes;
    let acc = f32x4.splat(0);
    for (let r: usize = 0; r < padBytes; r += 16) {
      acc = f32x4.add(acc, f32x4.mul(v128.load(g + r), v128.load(x + r)));
    }
    store<f32>(
      output + (<usize>m << 2),
      f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3)),
    );
    p += downRest;
    j0 += downWhole;
    if (p >= up) {
      p -= up;
      j0++;
    }
  }
}
