/**
 * Float64 band-limited resampling to SAMPLE_RATE_HZ (22050 Hz): the one resampling algorithm of msse, which the
 * WebAssembly front end ports. It is `scipy.signal.resample_poly(x, up, down, window=h)` with
 * `h = firwin(2·64·M + 1, 1/M, window=('kaiser', 14))`, the resampler of `../shared/golden/mfcc/` ("Resampled
 * input"): a Kaiser-windowed sinc with 64 zero crossings per side, cut off at the lower of the two Nyquist
 * frequencies. (librosa 0.9.2 itself uses resampy's kaiser_best; the golden README measures both as equivalent
 * for the MFCCs, within 1.3e-3.)
 *
 * Exact formula. For an input of n samples at fs Hz (a positive integer):
 *   g = gcd(22050, fs),  up = 22050 / g,  down = fs / g,  M = max(up, down),  K = 64·M,  β = 14
 *   prototype on the up-sampled grid, for integers |d| ≤ K:
 *     p(d) = (1/M) · sinc(d/M) · I0(β·sqrt(1 − (d/K)²)) / I0(β),   sinc(x) = sin(πx)/(πx), sinc(0) = 1
 *     I0(x) = Σ_{k=0..39} ((x/2)^k / k!)²   (40 terms: the 40th is below 1e-28 of the sum for x ≤ 14)
 *   S = Σ_{d=−K..K} p(d)              (firwin's scaling to unit DC gain; S − 1 ≈ −2e-8 for M = 2, 320, 441)
 *   h(d) = up · p(d) / S              (gain up, because up-sampling inserts up − 1 zeros between samples)
 *   y[m] = Σ_j x[j] · h(m·down − j·up)   over 0 ≤ j < n with |m·down − j·up| ≤ K  (x is zero outside)
 *   m = 0 .. ceil(n·up/down) − 1
 * so output sample m sits exactly at input time m·down/up samples (zero phase, no delay), as in resample_poly.
 *
 * Evaluation. Output m has the phase r = (m·down) mod up; outputs m and m + up share it (their centres differ by
 * exactly `down` input samples), and m = 0 .. up − 1 meets every phase once because gcd(up, down) = 1. So the
 * taps of one phase, h(r − i·up) for the input offsets i around q = floor(m·down / up), are computed once and
 * applied to every output of that phase; no table of the whole kernel is kept, so a huge `up` (fs = 44101 gives
 * up = 22050, M = 44101) costs time, not memory. Cost: 128·M + 1 kernel evaluations for S, min(up, n_out) phases
 * of about 128·M/up + 1 taps each, and n_out · (128·M/up + 1) multiply-adds: 16000 → 22050 (up 441, down 320)
 * 129 taps per output, 44100 → 22050 (up 1, down 2) 257: about 30 ms in Node 20 for the 4.4 s golden signals;
 * fs = 44101 (5.6 M kernel evaluations for S alone) about 1 s per second of input.
 *
 * Quality, measured with 1 s float64 unit tones, 180 to 200 per rate, gain and phase fitted by least squares to
 * the output away from its ends (the method of test/audio/resample-reference.test.ts, which re-checks a subset):
 *   passband, up to 0.9 of the lower Nyquist (7200 Hz from 16 kHz, 9922 Hz from 44.1 kHz): ripple ≤ 1.2e-6 dB,
 *     phase ≤ 1e-11 rad (from 8, 16, 44.1 and 48 kHz);
 *   images when up-sampling (16000 − f for a 16 kHz tone f): ≤ −139 dB;
 *   aliases of tones from 1.1 × 11025 Hz to 22050 Hz at 44.1 kHz and 48 kHz: ≤ −140 dB; the 15 kHz tone of
 *     synth_44100_hf: −156 dB;
 *   transition at 44.1 kHz: −0.02 dB at 0.95 × 11025 Hz, −54 dB at 1.05 ×, −154 dB at 1.07 ×;
 *   DC: each output phase's gain is within 2.1e-8 of 1.
 * Against scipy 1.17's resample_poly with the same h on the golden synth_16000/44100/44100_hf signals it agrees
 * to 4e-15 (checked once outside the project; the tests compare the MFCCs with the golden files instead).
 */
import { SAMPLE_RATE_HZ } from './mfcc-settings.ts';

/** Zero crossings of the windowed sinc on each side of its centre (the golden reference's 64). */
const ZERO_CROSSINGS = 64;
/** Kaiser window shape: β = 14 gives about 140 dB stopband attenuation (Kaiser's formula 0.1102·(A − 8.7)). */
const KAISER_BETA = 14;
/** Terms of the I0 power series; see the header for why 40 is exact in float64 for β = 14. */
const BESSEL_I0_TERMS = 40;

/** Modified Bessel function of the first kind, order 0, by its power series (for 0 ≤ x ≤ 14). */
function besselI0(x: number): number {
  const quarterSquare = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < BESSEL_I0_TERMS; k++) {
    term *= quarterSquare / (k * k);
    sum += term;
  }
  return sum;
}

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The resampling ratio for input rate `sampleRateHz`: output rate / input rate = up / down, in lowest terms. */
export function resampleRatio(sampleRateHz: number): { up: number; down: number } {
  if (!Number.isInteger(sampleRateHz) || sampleRateHz <= 0) {
    throw new RangeError(`resample: sample rate ${sampleRateHz} Hz; expected a positive integer`);
  }
  const g = greatestCommonDivisor(SAMPLE_RATE_HZ, sampleRateHz);
  return { up: SAMPLE_RATE_HZ / g, down: sampleRateHz / g };
}

/** Output length for `inputSamples` at `sampleRateHz`: ceil(n · up / down), as resample_poly gives. */
export function resampledLength(inputSamples: number, sampleRateHz: number): number {
  const { up, down } = resampleRatio(sampleRateHz);
  return Math.ceil((inputSamples * up) / down);
}

/** The unnormalised prototype p(d) of the header, on the up-sampled grid; zero beyond |d| > K. */
function prototype(d: number, M: number): number {
  const halfLength = ZERO_CROSSINGS * M;
  if (Math.abs(d) > halfLength) return 0;
  const x = d / M;
  const sinc = d === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
  const ratio = d / halfLength;
  const window = besselI0(KAISER_BETA * Math.sqrt(1 - ratio * ratio)) / besselI0(KAISER_BETA);
  return (sinc * window) / M;
}

/**
 * Resamples `signal` (mono, at `sampleRateHz`) to 22050 Hz by the header's formula. Returns ceil(n·up/down)
 * float64 samples; a 22050 Hz input comes back as a float64 copy (the formula is then the identity: p(d) = 0 at
 * every nonzero integer d).
 */
export function resampleTo22050(signal: Float32Array | Float64Array, sampleRateHz: number): Float64Array {
  const { up, down } = resampleRatio(sampleRateHz);
  if (up === 1 && down === 1) return Float64Array.from(signal);
  const n = signal.length;
  const M = Math.max(up, down);
  const halfLength = ZERO_CROSSINGS * M;

  let dcGain = 0;
  for (let d = -halfLength; d <= halfLength; d++) dcGain += prototype(d, M);
  const gain = up / dcGain;

  const out = new Float64Array(Math.ceil((n * up) / down));
  for (let m0 = 0; m0 < Math.min(up, out.length); m0++) {
    const q0 = Math.floor((m0 * down) / up);
    const r = m0 * down - q0 * up;
    // Input offsets i (relative to q) whose distance r − i·up lies within ±K.
    const iLow = Math.ceil((r - halfLength) / up);
    const iHigh = Math.floor((r + halfLength) / up);
    const taps = new Float64Array(iHigh - iLow + 1);
    for (let i = iLow; i <= iHigh; i++) taps[i - iLow] = gain * prototype(r - i * up, M);

    for (let m = m0, q = q0; m < out.length; m += up, q += down) {
      const jLow = Math.max(q + iLow, 0);
      const jHigh = Math.min(q + iHigh, n - 1);
      let sum = 0;
      for (let j = jLow; j <= jHigh; j++) sum += signal[j] * taps[j - q - iLow];
      out[m] = sum;
    }
  }
  return out;
}
