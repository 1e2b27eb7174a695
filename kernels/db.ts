// db.ts: librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80) (step 9 of ../shared/golden/mfcc/README.md),
// in float64: D = 10 log10(max(AMIN, S)), then D = max(D, max over the utterance − TOP_DB).
// No memory of its own: dbRow() reads a caller's f32 row and writes a caller's f64 row.

import { N_MELS } from './mel';

/** librosa's `amin`: power floor before the log, so silence is −100 dB rather than −Infinity. */
export const AMIN: f64 = 1e-10;
/** librosa's `top_db`: dB below the utterance maximum are raised to maximum − TOP_DB. */
export const TOP_DB: f64 = 80;

/** The dB of a band with zero power: 10 log10(AMIN), what every band of an all-zero frame gets. */
export function silentDb(): f64 {
  return 10 * Math.log10(AMIN);
}

/**
 * Writes 10 log10(max(AMIN, S[m])) for the N_MELS f32 powers at `power` to the f64 row at `out`, and returns the
 * row's maximum. The log is float64 (the golden README's float32-log variant loses up to 9.6e-4 dB here).
 */
export function dbRow(power: usize, out: usize): f64 {
  let rowMax = -Infinity;
  for (let m = 0; m < N_MELS; m++) {
    const db = 10 * Math.log10(Math.max(AMIN, <f64>load<f32>(power + (<usize>m << 2))));
    store<f64>(out + (<usize>m << 3), db);
    rowMax = Math.max(rowMax, db);
  }
  return rowMax;
}

/** Raises every value of the f64 row at `row` (N_MELS) below `floorDb` to it, in place. */
export function floorRow(row: usize, floorDb: f64): void {
  const floor = f64x2.splat(floorDb);
  for (let m = 0; m < N_MELS; m += 2) {
    const at = row + (<usize>m << 3);
    v128.store(at, f64x2.max(v128.load(at), floor));
  }
}
