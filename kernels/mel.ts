// mel.ts: the Slaney mel filterbank (128 × 1025, librosa.filters.mel(htk=False, norm='slaney') as float32),
// stored sparse, and mel power S[m] = Σ_k M[m, k] P[k] (step 8 of ../shared/golden/mfcc/README.md).
// The filterbank itself is built once in TypeScript (sparseSlaneyMelFilterbank in src/audio/mel-filterbank.ts, the
// one definition) and handed in band by band through MEL_ROW: each band's run from its first to its last non-zero bin.
//
// Memory map, all static (memory.data), written by setMelBand() at load, read by melPower():
//   region            offset   length                 type  contents
//   MEL_ROW           static   N_BINS                 f32   staging: one band's run of weights, written by JS
//   MEL_BAND_START    static   N_MELS                 i32   first bin of band m's non-zero run
//   MEL_BAND_COUNT    static   N_MELS                 i32   its length rounded up to whole f32x4 (tail weights 0)
//   MEL_BAND_OFFSET   static   N_MELS                 i32   byte offset of its first weight in MEL_WEIGHTS
//   MEL_WEIGHTS       static   MEL_WEIGHTS_CAPACITY   f32   the runs, one after another, each 16-byte aligned
// A run of band m reads POWER[start, start + count) with count ≤ N_BINS_PADDED − start: the run ends at most at
// bin N_BINS − 1 (setMelBand() checks), and POWER is zero up to N_BINS_PADDED.

import { N_BINS, POWER } from './fft';

/** librosa's `n_mels`. */
export const N_MELS: i32 = 128;
/**
 * Weights the sparse filterbank may hold. The Slaney bands overlap pairwise, so the runs cover each bin about
 * twice: librosa's bank has 2018 non-zero weights, 2256 once each run is padded to whole f32x4; 4096 leaves room.
 */
const MEL_WEIGHTS_CAPACITY: i32 = 4096;

/** Staging row for setMelBand(): up to N_BINS f32 weights of one band. */
export const MEL_ROW: usize = memory.data(N_BINS << 2);
const MEL_BAND_START: usize = memory.data(N_MELS << 2);
const MEL_BAND_COUNT: usize = memory.data(N_MELS << 2);
const MEL_BAND_OFFSET: usize = memory.data(N_MELS << 2);
const MEL_WEIGHTS: usize = memory.data(MEL_WEIGHTS_CAPACITY << 2);

/** Bytes of MEL_WEIGHTS used by the bands stored so far (bands must arrive in order 0..N_MELS − 1). */
let melWeightsUsedBytes: usize = 0;

/**
 * Stores band `m`, whose `binCount` weights for bins firstBin, firstBin + 1, … the caller wrote to MEL_ROW
 * (reads MEL_ROW; writes MEL_BAND_*, MEL_WEIGHTS). Bands must be set in order 0, 1, …, N_MELS − 1; band 0
 * restarts the table. Returns the weights stored so far, or −1 for a band out of range or one that would
 * overflow MEL_WEIGHTS.
 */
export function setMelBand(m: i32, firstBin: i32, binCount: i32): i32 {
  if (m < 0 || m >= N_MELS || firstBin < 0 || binCount < 0 || firstBin + binCount > N_BINS) return -1;
  if (m == 0) melWeightsUsedBytes = 0;
  const count = (binCount + 3) & ~3;
  if ((melWeightsUsedBytes >> 2) + <usize>count > <usize>MEL_WEIGHTS_CAPACITY) return -1;
  const slot = <usize>m << 2;
  store<i32>(MEL_BAND_START + slot, firstBin);
  store<i32>(MEL_BAND_COUNT + slot, count);
  store<i32>(MEL_BAND_OFFSET + slot, <i32>melWeightsUsedBytes);
  const weights = MEL_WEIGHTS + melWeightsUsedBytes;
  memory.copy(weights, MEL_ROW, <usize>binCount << 2);
  memory.fill(weights + (<usize>binCount << 2), 0, <usize>(count - binCount) << 2);
  melWeightsUsedBytes += <usize>count << 2;
  return <i32>(melWeightsUsedBytes >> 2);
}

/**
 * Mel power of the frame in POWER, band m to `out` + 4m (N_MELS f32). Float32 sums, four bins at a time:
 * the golden README measures float32 mel sums within 2.2e-4 relative of float64, far inside the tolerance.
 */
export function melPower(out: usize): void {
  for (let m = 0; m < N_MELS; m++) {
    const slot = <usize>m << 2;
    const power = POWER + (<usize>load<i32>(MEL_BAND_START + slot) << 2);
    const weights = MEL_WEIGHTS + <usize>load<i32>(MEL_BAND_OFFSET + slot);
    const bytes = <usize>load<i32>(MEL_BAND_COUNT + slot) << 2;
    let acc = f32x4.splat(0);
    for (let i: usize = 0; i < bytes; i += 16) {
      acc = f32x4.add(acc, f32x4.mul(v128.load(weights + i), v128.load(power + i)));
    }
    store<f32>(
      out + slot,
      f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3)),
    );
  }
}
