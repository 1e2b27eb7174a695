/**
 * The mel filterbank of `librosa.filters.mel(sr=22050, n_fft=2048, n_mels=128, fmin=0, fmax=11025, htk=False,
 * norm='slaney')`: 128 triangles on the Slaney (Auditory Toolbox) mel scale, each scaled to unit area
 * (`2 / (e[m+2] - e[m])`). librosa builds it in float64 and returns float32; so do we, rounding where librosa's
 * float32 array rounds (the ramp when it is stored, then the scaled ramp), which reproduces
 * `../shared/golden/mfcc/mel_filterbank.f32`. Both MFCC implementations use these float32 weights.
 */
import { FMAX_HZ, N_BINS, N_FFT, N_MELS, SAMPLE_RATE_HZ } from './mfcc-settings.ts';

/** Slaney mel scale: linear below 1000 Hz (200/3 Hz per mel), logarithmic above (27 mels per factor 6.4). */
const LINEAR_HZ_PER_MEL = 200 / 3;
const LOG_BREAK_HZ = 1000;
const LOG_BREAK_MEL = LOG_BREAK_HZ / LINEAR_HZ_PER_MEL; // 15
const LOG_STEP = Math.log(6.4) / 27;

/** Hz to Slaney mels (`librosa.hz_to_mel(f, htk=False)`). */
export function hzToMel(frequencyHz: number): number {
  if (frequencyHz < LOG_BREAK_HZ) return frequencyHz / LINEAR_HZ_PER_MEL;
  return LOG_BREAK_MEL + Math.log(frequencyHz / LOG_BREAK_HZ) / LOG_STEP;
}

/** Slaney mels to Hz (`librosa.mel_to_hz(m, htk=False)`), the inverse of `hzToMel`. */
export function melToHz(mel: number): number {
  if (mel < LOG_BREAK_MEL) return LINEAR_HZ_PER_MEL * mel;
  return LOG_BREAK_HZ * Math.exp(LOG_STEP * (mel - LOG_BREAK_MEL));
}

/**
 * The `N_MELS + 2` triangle edge frequencies in Hz, equally spaced in mels from 0 to `FMAX_HZ`
 * (`librosa.mel_frequencies`). The spacing follows `numpy.linspace` (`start + i * step`, last value exact).
 */
function melEdgesHz(): Float64Array {
  const count = N_MELS + 2;
  const lowMel = hzToMel(0);
  const highMel = hzToMel(FMAX_HZ);
  const stepMel = (highMel - lowMel) / (count - 1);
  const edges = new Float64Array(count);
  for (let i = 0; i < count; i++) edges[i] = melToHz(i === count - 1 ? highMel : lowMel + i * stepMel);
  return edges;
}

/** Centre frequency of FFT bin `k` in Hz, as `numpy.fft.rfftfreq(N_FFT, 1 / SAMPLE_RATE_HZ)` computes it. */
function binFrequencyHz(k: number): number {
  return k * (1 / (N_FFT * (1 / SAMPLE_RATE_HZ)));
}

/**
 * The dense filterbank, `N_MELS` x `N_BINS` (128 x 1025), band-major: the weight of FFT bin `k` in band `m` is at
 * `m * N_BINS + k`. Values are float32, as librosa returns them; multiply a power spectrum by it to get mel power.
 */
export function slaneyMelFilterbank(): Float32Array {
  const edges = melEdgesHz();
  const weights = new Float32Array(N_MELS * N_BINS);
  for (let m = 0; m < N_MELS; m++) {
    const rising = edges[m + 1] - edges[m];
    const falling = edges[m + 2] - edges[m + 1];
    const areaScale = 2 / (edges[m + 2] - edges[m]);
    for (let k = 0; k < N_BINS; k++) {
      const f = binFrequencyHz(k);
      const ramp = Math.max(0, Math.min((f - edges[m]) / rising, (edges[m + 2] - f) / falling));
      // librosa stores the ramp in its float32 array, then scales that array in place: two roundings.
      weights[m * N_BINS + k] = Math.fround(ramp) * areaScale;
    }
  }
  return weights;
}

/**
 * The filterbank without its zeros: band `m` covers bins `firstBin[m] .. firstBin[m] + binCount[m] - 1`, whose
 * weights are `weights[weightOffset[m] .. weightOffset[m] + binCount[m] - 1]` (bands concatenated in order).
 * Same float32 values as `slaneyMelFilterbank`; a flat layout so it can be copied into WebAssembly memory as is.
 */
export interface SparseMelFilterbank {
  readonly firstBin: Int32Array;
  readonly binCount: Int32Array;
  readonly weightOffset: Int32Array;
  readonly weights: Float32Array;
}

/** `slaneyMelFilterbank()` in sparse form: each band from its first to its last nonzero bin. */
export function sparseSlaneyMelFilterbank(): SparseMelFilterbank {
  const dense = slaneyMelFilterbank();
  const firstBin = new Int32Array(N_MELS);
  const binCount = new Int32Array(N_MELS);
  const weightOffset = new Int32Array(N_MELS);
  let total = 0;
  for (let m = 0; m < N_MELS; m++) {
    const band = dense.subarray(m * N_BINS, (m + 1) * N_BINS);
    const first = band.findIndex((w) => w !== 0);
    let last = N_BINS - 1;
    while (last > first && band[last] === 0) last--;
    firstBin[m] = Math.max(first, 0);
    binCount[m] = first < 0 ? 0 : last - first + 1;
    weightOffset[m] = total;
    total += binCount[m];
  }
  const weights = new Float32Array(total);
  for (let m = 0; m < N_MELS; m++) {
    const start = m * N_BINS + firstBin[m];
    weights.set(dense.subarray(start, start + binCount[m]), weightOffset[m]);
  }
  return { firstBin, binCount, weightOffset, weights };
}
