import { N_MFCC } from '../../src/audio/mfcc-settings.ts';

/**
 * max |got − ref| over c0 and over c1..c38 separately, frames-major (frames x 39): the golden README gives float32
 * implementations a looser bound on c0, which sums all 128 dB values.
 */
export function mfccErrors(got: ArrayLike<number>, ref: ArrayLike<number>): { c0: number; rest: number } {
  if (got.length !== ref.length) throw new Error(`MFCC length ${got.length} != reference ${ref.length}`);
  let c0 = 0;
  let rest = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = Math.abs(got[i]! - ref[i]!);
    if (i % N_MFCC === 0) c0 = Math.max(c0, e);
    else rest = Math.max(rest, e);
  }
  return { c0, rest };
}
