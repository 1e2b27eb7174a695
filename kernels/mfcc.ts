// mfcc.ts: the asc entry of msse's audio front end (build/mfcc.wasm): TIM-Net's librosa.feature.mfcc features,
// steps 3 to 10 of ../shared/golden/mfcc/README.md, and the band-limited resampler ("Resampled input" there).
// The JS loader (src/audio/mfcc-wasm.ts) applies the length rule (src/audio/fit-length.ts) and writes the fitted
// signal into SIGNAL.
//
// Static memory (memory.data) belongs to the modules: fft.ts (window, twiddles, FFT work area, POWER),
// mel.ts (sparse filterbank, MEL_ROW), dct.ts (DCT_MATRIX), and this one:
//   region        offset   length    type  contents
//   MEL_FRAME     static   N_MELS    f32   mel power of the frame being processed
//   SILENT_MFCC   static   N_MFCC    f32   MFCCs of an all-zero frame of the current utterance
// The work region follows at __heap_base and is laid out by reserve(); it moves only when reserve() is asked for
// more than it holds, and its contents do not survive a move. Nothing else allocates (runtime stub, no managed
// objects), so memory grows only inside reserve(). Each region starts 16-aligned right after the previous one:
//   region            offset               length (elements)                 type  contents
//   RESAMPLE_INPUT    __heap_base          padCap + inputCap + padCap        f32   resampler input x at element padCap
//   RESAMPLE_PHASES   after RESAMPLE_INPUT phaseCap                          f32   polyphase taps (resample.ts)
//   RESAMPLED         after the phases     resampledCap                      f32   resampler output, 22050 Hz
//   SIGNAL            after RESAMPLED      lengthCap + N_FFT                 f32   N_FFT/2 zeros, fitted signal, zeros
//   DB                after SIGNAL         frameCount(lengthCap) × N_MELS    f64   floored dB, frames-major
//   MFCC              after DB             frameCount(lengthCap) × N_MFCC    f32   the features, frames-major

import { N_FFT, framePower, initFft } from './fft';
import { MEL_ROW, N_MELS, melPower } from './mel';
import { TOP_DB, dbRow, floorRow, silentDb } from './db';
import { N_MFCC, dctRow, initDct } from './dct';
import { designPhases, resample, resampleTaps } from './resample';

export { setMelBand } from './mel';
export { resampleTaps } from './resample';
export { N_FFT, N_MELS, N_MFCC };
/** librosa's `hop_length`, n_fft / 4. */
export const HOP_LENGTH: i32 = N_FFT / 4;

const MEL_FRAME: usize = memory.data(N_MELS << 2);
const SILENT_MFCC: usize = memory.data(N_MFCC << 2);

let resampleInput: usize = 0;
let resamplePhases: usize = 0;
let resampled: usize = 0;
let signal: usize = 0;
let dbFrames: usize = 0;
let mfccFrames: usize = 0;

/** Fills the static tables (window, twiddles, DCT). Called once from JS, before setMelBand() and reserve(). */
export function init(): void {
  initFft();
  initDct();
}

@inline function align16(bytes: usize): usize {
  return (bytes + 15) & ~(<usize>15);
}

/**
 * Lays out the work region for inputs of up to `inputCap` samples with `padCap` zeros each side, a phase table of
 * `phaseCap` taps, `resampledCap` resampled samples and fitted signals of up to `lengthCap` samples, growing memory
 * if needed. Returns 1, or 0 when memory cannot grow. Invalidates everything the regions held.
 */
export function reserve(inputCap: i32, padCap: i32, phaseCap: i32, resampledCap: i32, lengthCap: i32): i32 {
  const frames = <usize>(1 + lengthCap / HOP_LENGTH);
  let at = align16(__heap_base);
  resampleInput = at + (<usize>padCap << 2);
  at = align16(at + (<usize>(padCap * 2 + inputCap) << 2));
  resamplePhases = at;
  at = align16(at + (<usize>phaseCap << 2));
  resampled = at;
  at = align16(at + (<usize>resampledCap << 2));
  signal = at;
  at = align16(at + (<usize>(lengthCap + N_FFT) << 2));
  dbFrames = at;
  at = align16(at + ((frames * <usize>N_MELS) << 3));
  mfccFrames = at;
  at = align16(at + ((frames * <usize>N_MFCC) << 2));
  const haveBytes = <usize>memory.size() << 16;
  if (at > haveBytes) {
    const pages = <i32>((at - haveBytes + 0xffff) >> 16);
    if (memory.grow(pages) < 0) return 0;
  }
  return 1;
}

/** Element 0 of the resampler input (RESAMPLE_INPUT + padCap). */
export function resampleInputPtr(): usize {
  return resampleInput;
}
/** RESAMPLED. */
export function resampledPtr(): usize {
  return resampled;
}
/** The first sample of the fitted signal in SIGNAL (after the N_FFT/2 leading zeros). */
export function signalPtr(): usize {
  return signal + (<usize>(N_FFT / 2) << 2);
}
/** DB: floored dB of the last extract(), frames-major f64. */
export function dbPtr(): usize {
  return dbFrames;
}
/** MFCC: the features of the last extract(), frames-major f32. */
export function mfccPtr(): usize {
  return mfccFrames;
}
/** MEL_ROW: the staging row setMelBand() reads. */
export function melRowPtr(): usize {
  return MEL_ROW;
}

/**
 * Fills RESAMPLE_PHASES for ratio up/down (kernel design: resample.ts). Needs phaseCap ≥ up · resampleTaps(up, down)
 * in the last reserve(); the table stays valid until the next reserve().
 */
export function prepareResampler(up: i32, down: i32): void {
  designPhases(resamplePhases, up, down, resampleTaps(up, down));
}

/**
 * Resamples the n samples at resampleInputPtr() by up/down to nOut samples at resampledPtr(), with the table of
 * prepareResampler(up, down). Needs padCap ≥ resampleTaps(up, down) in the last reserve().
 */
export function resampleToRate(n: i32, up: i32, down: i32, nOut: i32): void {
  resample(resampleInput, n, resamplePhases, up, down, resampleTaps(up, down), resampled, nOut);
}

/** Whether the frame starting at SIGNAL sample `start` lies wholly outside [firstNonzero, lastNonzero]. */
@inline function isSilent(start: i32, firstNonzero: i32, lastNonzero: i32): bool {
  return start + N_FFT <= firstNonzero || start > lastNonzero;
}

/**
 * MFCCs of the `lengthSamples` fitted samples at signalPtr(): writes the centre padding of SIGNAL, DB (floored dB)
 * and MFCC. Frames whose 2048 samples are all zero get the dB of zero power without an FFT; that is exact, since
 * the FFT of zeros is zeros.
 */
export function extract(lengthSamples: i32): void {
  const frames = 1 + lengthSamples / HOP_LENGTH;
  const paddedSamples = lengthSamples + N_FFT;
  const halfBytes = <usize>(N_FFT / 2) << 2;
  memory.fill(signal, 0, halfBytes);
  memory.fill(signal + halfBytes + (<usize>lengthSamples << 2), 0, halfBytes);

  // [firstNonzero, lastNonzero]: the span of SIGNAL a frame must touch to be non-silent.
  let firstNonzero = 0;
  while (firstNonzero < paddedSamples && load<f32>(signal + (<usize>firstNonzero << 2)) == 0) firstNonzero++;
  let lastNonzero = paddedSamples - 1;
  while (lastNonzero >= firstNonzero && load<f32>(signal + (<usize>lastNonzero << 2)) == 0) lastNonzero--;

  const silent = silentDb();
  let maxDb = -Infinity;
  for (let t = 0; t < frames; t++) {
    const start = t * HOP_LENGTH;
    const row = dbFrames + ((<usize>t * <usize>N_MELS) << 3);
    if (isSilent(start, firstNonzero, lastNonzero)) {
      for (let m = 0; m < N_MELS; m++) store<f64>(row + (<usize>m << 3), silent);
      maxDb = Math.max(maxDb, silent);
    } else {
      framePower(signal + (<usize>start << 2));
      melPower(MEL_FRAME);
      maxDb = Math.max(maxDb, dbRow(MEL_FRAME, row));
    }
  }

  const floorDb = maxDb - TOP_DB;
  let silentDone = false;
  for (let t = 0; t < frames; t++) {
    const start = t * HOP_LENGTH;
    const row = dbFrames + ((<usize>t * <usize>N_MELS) << 3);
    const out = mfccFrames + ((<usize>t * <usize>N_MFCC) << 2);
    floorRow(row, floorDb);
    if (isSilent(start, firstNonzero, lastNonzero)) {
      if (!silentDone) {
        dctRow(row, SILENT_MFCC);
        silentDone = true;
      }
      memory.copy(out, SILENT_MFCC, <usize>N_MFCC << 2);
    } else {
      dctRow(row, out);
    }
  }
}
