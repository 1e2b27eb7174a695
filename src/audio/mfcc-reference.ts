/**
 * The MFCC front end in float64: the executable specification the WebAssembly front end is checked against, and
 * the algorithm of `../shared/golden/mfcc/README.md` step by step (librosa 0.9.2's `librosa.load` +
 * `librosa.feature.mfcc(y, sr=22050, n_mfcc=39)` as TIM-Net's feature script calls them):
 *
 *   resample to 22050 Hz → fit to L samples → zero-pad N_FFT/2 each side → frames of N_FFT every HOP_LENGTH
 *   → periodic Hann → |FFT|² (powerSpectrum) → float32 Slaney mel filterbank (melPower)
 *   → 10·log10(max(AMIN, S)) floored at the utterance maximum − TOP_DB (powerToDb) → orthonormal DCT-II, first
 *   N_MFCC rows (dctOrtho39).
 *
 * Every stage takes and returns a flat frames-major Float64Array (frame t, column c at t·columns + c); plain
 * loops, no caching. It matches the golden MFCCs to within their float32 storage rounding.
 */
import { fftInPlace } from './fft-reference.ts';
import { fitLength } from './fit-length.ts';
import { sparseSlaneyMelFilterbank } from './mel-filterbank.ts';
import {
  AMIN,
  DEFAULT_LENGTH_SAMPLES,
  HOP_LENGTH,
  N_BINS,
  N_FFT,
  N_MELS,
  N_MFCC,
  TOP_DB,
  frameCount,
} from './mfcc-settings.ts';
import { resampleTo22050 } from './resample-reference.ts';

/** Rows of a flat frames-major array with `columns` columns; throws if its length is not a multiple. */
function rowCount(stage: string, values: Float64Array, columns: number): number {
  if (values.length % columns !== 0) {
    throw new RangeError(`${stage}: ${values.length} values; expected a multiple of ${columns} (frames x ${columns})`);
  }
  return values.length / columns;
}

/**
 * Power spectrum of the centred STFT of a signal already at 22050 Hz and already of its final length L:
 * frame t covers samples [t·HOP_LENGTH − N_FFT/2, t·HOP_LENGTH + N_FFT/2) with zeros outside the signal
 * (librosa ≥ 0.9 `pad_mode='constant'`), times the periodic Hann window 0.5 − 0.5·cos(2πn/N_FFT).
 * Returns frameCount(L) x N_BINS (188 x 1025 for L = 96000), `P[t, k] = |Σ_n w[n] frame_t[n] e^{−2πi kn/N_FFT}|²`.
 */
export function powerSpectrum(signal: Float32Array | Float64Array): Float64Array {
  const frames = frameCount(signal.length);
  const power = new Float64Array(frames * N_BINS);
  const re = new Float64Array(N_FFT);
  const im = new Float64Array(N_FFT);
  for (let t = 0; t < frames; t++) {
    const start = t * HOP_LENGTH - N_FFT / 2;
    for (let n = 0; n < N_FFT; n++) {
      const i = start + n;
      const sample = i >= 0 && i < signal.length ? signal[i] : 0;
      re[n] = sample * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / N_FFT));
      im[n] = 0;
    }
    fftInPlace(re, im);
    for (let k = 0; k < N_BINS; k++) power[t * N_BINS + k] = re[k] * re[k] + im[k] * im[k];
  }
  return power;
}

/** Mel power `S[t, m] = Σ_k M[m, k] · P[t, k]` with librosa's float32 filterbank M: frames x N_BINS → frames x N_MELS. */
export function melPower(power: Float64Array): Float64Array {
  const frames = rowCount('melPower', power, N_BINS);
  const bank = sparseSlaneyMelFilterbank();
  const mel = new Float64Array(frames * N_MELS);
  for (let t = 0; t < frames; t++) {
    for (let m = 0; m < N_MELS; m++) {
      let sum = 0;
      for (let i = 0; i < bank.binCount[m]; i++) {
        sum += bank.weights[bank.weightOffset[m] + i] * power[t * N_BINS + bank.firstBin[m] + i];
      }
      mel[t * N_MELS + m] = sum;
    }
  }
  return mel;
}

/**
 * `librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80)`: `D = 10·log10(max(AMIN, S))`, then
 * `max(D, max(D) − TOP_DB)` where max(D) is taken over the whole utterance (every frame and band), not per frame.
 */
export function powerToDb(mel: Float64Array): Float64Array {
  const db = mel.map((s) => 10 * Math.log10(Math.max(AMIN, s)));
  let peakDb = -Infinity;
  for (const d of db) peakDb = Math.max(peakDb, d);
  const floorDb = peakDb - TOP_DB;
  return db.map((d) => Math.max(d, floorDb));
}

/**
 * First N_MFCC rows of the orthonormal DCT-II over the N_MELS bands of each frame (`scipy.fftpack.dct(type=2,
 * norm='ortho')`, no liftering): `c[t, 0] = √(1/N) Σ_n D[t, n]`, `c[t, j] = √(2/N) Σ_n D[t, n] cos(πj(2n+1)/(2N))`.
 * frames x N_MELS → frames x N_MFCC.
 */
export function dctOrtho39(db: Float64Array): Float64Array {
  const frames = rowCount('dctOrtho39', db, N_MELS);
  const mfcc = new Float64Array(frames * N_MFCC);
  for (let t = 0; t < frames; t++) {
    for (let j = 0; j < N_MFCC; j++) {
      let sum = 0;
      for (let n = 0; n < N_MELS; n++) sum += db[t * N_MELS + n] * Math.cos((Math.PI * j * (2 * n + 1)) / (2 * N_MELS));
      mfcc[t * N_MFCC + j] = sum * Math.sqrt((j === 0 ? 1 : 2) / N_MELS);
    }
  }
  return mfcc;
}

/**
 * TIM-Net's features of a mono signal: frameCount(lengthSamples) x N_MFCC float64 values, frames-major
 * (188 x 39 for the default 96000 samples). `signal` is at `sampleRateHz` (a positive integer) and is first
 * resampled to 22050 Hz by `resampleTo22050` (a copy when it already is), then padded or centre-cropped by `fitLength`.
 */
export function mfccReference(
  signal: Float32Array | Float64Array,
  sampleRateHz: number,
  lengthSamples: number = DEFAULT_LENGTH_SAMPLES,
): Float64Array {
  const fitted = fitLength(resampleTo22050(signal, sampleRateHz), lengthSamples);
  return dctOrtho39(powerToDb(melPower(powerSpectrum(fitted))));
}
