/**
 * Seeded random draws for the data side of training: the fold split and the batch order of each epoch.
 *
 * Counter-based, like the dropout and initialisation draws (src/runtime/random.ts): draw k of a stream is
 * `counterHash(seed, stream, step, lane, k)`, a pure function of five u32 counters. So the batch order of epoch 37
 * of fold 4 is computed directly, without replaying the epochs before it, and a resumed or `--folds-only` run
 * draws exactly what the full run drew. There is one hash in msse; this module only adds integer ranges and
 * shuffles on top of it.
 *
 * Not numpy: sklearn's KFold shuffles with numpy's Mersenne Twister, whose bit stream we do not reproduce, so
 * `--seed 46` gives a different (equally random) split here than TIM-Net's `random_state=46`.
 */
import { counterHash } from '../runtime/random.ts';
import { UsageError, invariant } from '../errors.ts';

/** Streams of the data side; the model's own streams (dropout, init) hash other keys. */
export const RNG_STREAM = {
  /** The K-fold shuffle: step 0, lane 0. */
  kfold: 0x6b666f6c,
  /** The batch order: step = epoch, lane = fold. */
  batches: 0x62617463,
} as const;

const UINT32_RANGE = 2 ** 32;

/**
 * Checks a user-given seed (e.g. `--seed 46`): an integer in [0, 2^32), the range of the hash's counters.
 * @throws UsageError otherwise
 */
export function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed >= UINT32_RANGE) {
    throw new UsageError(`seed ${seed}; expected an integer from 0 to ${UINT32_RANGE - 1}`);
  }
}

/** One stream of draws: u32 values `counterHash(seed, stream, step, lane, k)` for k = 0, 1, 2, … */
export class CounterRng {
  private readonly seed: number;
  private readonly stream: number;
  private readonly step: number;
  private readonly lane: number;
  private counter = 0;

  /** @throws UsageError for a seed outside [0, 2^32) */
  constructor(seed: number, stream: number, step = 0, lane = 0) {
    checkSeed(seed);
    this.seed = seed;
    this.stream = stream;
    this.step = step;
    this.lane = lane;
  }

  /** The next u32 of the stream. */
  nextUint32(): number {
    invariant(this.counter < UINT32_RANGE, 'CounterRng: more than 2^32 draws from one stream');
    return counterHash(this.seed, this.stream, this.step, this.lane, this.counter++);
  }

  /**
   * A uniform integer in [0, n), 1 <= n <= 2^32, without modulo bias: draws at or above the largest multiple of n
   * below 2^32 are rejected and redrawn (fewer than one in two draws for any n, none for powers of two).
   */
  nextBelow(n: number): number {
    invariant(Number.isInteger(n) && n >= 1 && n <= UINT32_RANGE, `CounterRng.nextBelow: n = ${n}`);
    const limit = UINT32_RANGE - (UINT32_RANGE % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Shuffles `values` in place (Fisher–Yates, from the last position down) and returns it. */
  shuffle<T>(values: T[]): T[] {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.nextBelow(i + 1);
      const kept = values[i]!;
      values[i] = values[j]!;
      values[j] = kept;
    }
    return values;
  }
}
