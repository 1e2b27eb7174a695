/**
 * The MFCC front end's constants, named as librosa names them. They reproduce TIM-Net's feature script
 * (`Code/extract_feature.py` in Jiaxin-Ye/TIM-Net_SER): `librosa.load(path)` then, after the length rule,
 * `librosa.feature.mfcc(y=signal, sr=fs, n_mfcc=39)` with librosa 0.9.2's defaults
 * (`../shared/golden/mfcc/README.md` unrolls every step). Both the float64 reference (`mfcc-reference.ts`)
 * and the WebAssembly front end import these; nothing else may restate the numbers.
 */

/** `librosa.load`'s default `sr`: every signal is resampled to this rate before the length rule. */
export const SAMPLE_RATE_HZ = 22050;
/** `librosa.stft`'s default `n_fft`: frame and FFT length in samples; also the periodic Hann length. */
export const N_FFT = 2048;
/** `librosa.stft`'s default `hop_length` = `n_fft // 4`, in samples. */
export const HOP_LENGTH = 512;
/** Bins of the one-sided spectrum, `1 + n_fft // 2`. */
export const N_BINS = N_FFT / 2 + 1;
/** `librosa.feature.melspectrogram`'s default `n_mels`. */
export const N_MELS = 128;
/** TIM-Net's `n_mfcc=39`: coefficients kept from the orthonormal DCT-II of the 128 dB bands. */
export const N_MFCC = 39;
/** `librosa.power_to_db`'s default `top_db`: dB values below the utterance maximum minus this are clamped. */
export const TOP_DB = 80;
/** `librosa.power_to_db`'s default `amin`: power floor before the log, so silence is -100 dB, not -Infinity. */
export const AMIN = 1e-10;
/** `librosa.filters.mel`'s default `fmax = sr / 2`, in Hz; `fmin` is 0. */
export const FMAX_HZ = SAMPLE_RATE_HZ / 2;
/** TIM-Net's `mean_signal_length` for EMO-DB (4.354 s at 22050 Hz): the length rule's target. */
export const DEFAULT_LENGTH_SAMPLES = 96000;
/**
 * The longest signal length msse accepts (`--length`, a model's front end): 60 s at 22050 Hz, 2584 frames. An
 * utterance-level emotion is read from seconds, not minutes; longer lengths only reach a device's buffer limits
 * after minutes of feature extraction.
 */
export const MAX_LENGTH_SAMPLES = 60 * SAMPLE_RATE_HZ;

/**
 * Frames `librosa.stft(center=True)` gives for a signal of `lengthSamples`: `1 + floor(L / HOP_LENGTH)`
 * (188 for 96000). Frame `t` is centred on sample `t * HOP_LENGTH` of the signal.
 */
export function frameCount(lengthSamples: number): number {
  return 1 + Math.floor(lengthSamples / HOP_LENGTH);
}

/**
 * The front-end settings a model was trained with, stored in its metadata so that inference computes the same
 * features. `padMode` is the centre padding of the STFT: `'constant'` (zeros) since librosa 0.9.0; librosa <= 0.8.1
 * used `'reflect'`, which changes the first and last two frames (see the golden README, "Centre padding mode").
 */
export interface FrontEndSettings {
  readonly sampleRateHz: number;
  readonly nFft: number;
  readonly hopLength: number;
  readonly nMels: number;
  readonly nMfcc: number;
  readonly topDb: number;
  readonly lengthSamples: number;
  readonly padMode: 'constant';
}

/** The settings of TIM-Net's EMO-DB features, the only ones msse computes. */
export const FRONT_END_SETTINGS: FrontEndSettings = {
  sampleRateHz: SAMPLE_RATE_HZ,
  nFft: N_FFT,
  hopLength: HOP_LENGTH,
  nMels: N_MELS,
  nMfcc: N_MFCC,
  topDb: TOP_DB,
  lengthSamples: DEFAULT_LENGTH_SAMPLES,
  padMode: 'constant',
};
