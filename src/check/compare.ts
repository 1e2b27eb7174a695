/**
 * The one comparator for golden parity, shared by `msse check-fixture` and the tests. Per tensor
 * e = max|got − ref| / max|ref| (relative groups) or an absolute maximum; per group the worst e of its tensors
 * against the tolerance recommended in ../shared/golden/README.md for a float32 implementation.
 */

/** The comparison groups, in the order they are printed. */
export type GroupName =
  | 'output'
  | 'act'
  | 'gradact'
  | 'grad'
  | 'grad-zero'
  | 'bn-mean'
  | 'bn-var'
  | 'step1-rule'
  | 'step1-large'
  | 'step1-mid'
  | 'step1-small';

export interface GroupSpec {
  readonly name: GroupName;
  readonly tolerance: number;
  /** 'relative': max|got − ref| / max|ref|; 'absolute': a maximum absolute difference (or value). */
  readonly metric: 'relative' | 'absolute';
  readonly meaning: string;
}

/** The README's tolerances; the step1 bands scale with the Adam learning rate. */
export function goldenGroups(lr: number): readonly GroupSpec[] {
  return [
    { name: 'output', tolerance: 1e-5, metric: 'relative', meaning: 'logits, probs, loss, target' },
    { name: 'act', tolerance: 1e-4, metric: 'relative', meaning: 'act.* forward activations' },
    { name: 'gradact', tolerance: 1e-3, metric: 'relative', meaning: 'gradact.* activation gradients' },
    { name: 'grad', tolerance: 1e-3, metric: 'relative', meaning: 'grad.* parameter gradients' },
    { name: 'grad-zero', tolerance: 1e-6, metric: 'absolute', meaning: 'analytically zero gradients: max|got|' },
    { name: 'bn-mean', tolerance: 1e-4, metric: 'relative', meaning: 'running means after one forward' },
    { name: 'bn-var', tolerance: 2e-6, metric: 'relative', meaning: 'running variances after one forward' },
    { name: 'step1-rule', tolerance: 2.5e-7, metric: 'absolute', meaning: 'Adam t=1 on the stored gradients' },
    { name: 'step1-large', tolerance: 1e-3 * lr, metric: 'absolute', meaning: 'step1 end to end, |g_ref| >= 1e-5' },
    { name: 'step1-mid', tolerance: 5e-2 * lr, metric: 'absolute', meaning: 'step1 end to end, 1e-6 <= |g_ref| < 1e-5' },
    { name: 'step1-small', tolerance: lr, metric: 'absolute', meaning: 'step1 end to end, |g_ref| < 1e-6 or zero-grad' },
  ];
}

/** max|got − ref|; NaN when any difference is NaN (a NaN must fail, never hide). */
export function maxAbsDiff(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (got.length !== ref.length) throw new RangeError(`compare: ${got.length} values against ${ref.length} reference values`);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(got[i]! - ref[i]!);
    if (Number.isNaN(d)) return NaN;
    if (d > worst) worst = d;
  }
  return worst;
}

/** max|values| (NaN if any is NaN). */
export function maxAbs(values: ArrayLike<number>): number {
  return maxAbsDiff(values, new Float64Array(values.length));
}

/** e = max|got − ref| / max|ref|; an all-zero reference falls back to the absolute max|got − ref|. */
export function relativeError(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  const scale = maxAbs(ref);
  const diff = maxAbsDiff(got, ref);
  return scale === 0 ? diff : diff / scale;
}

/**
 * The end-to-end Adam comparison: max|step1 − ref| per band of the stored gradient |g_ref| (README: ≥ 1e-5,
 * [1e-6, 1e-5), < 1e-6; every element of an analytically-zero bias goes to the last band). An empty band is absent.
 */
export function step1Bands(
  got: ArrayLike<number>,
  ref: ArrayLike<number>,
  gradRef: ArrayLike<number>,
  zeroGrad: boolean,
): Partial<Record<'step1-large' | 'step1-mid' | 'step1-small', number>> {
  const bands: Partial<Record<'step1-large' | 'step1-mid' | 'step1-small', number>> = {};
  for (let i = 0; i < ref.length; i++) {
    const g = Math.abs(gradRef[i]!);
    const band = zeroGrad || g < 1e-6 ? 'step1-small' : g < 1e-5 ? 'step1-mid' : 'step1-large';
    const d = Math.abs(got[i]! - ref[i]!);
    const previous = bands[band] ?? 0;
    bands[band] = Number.isNaN(d) || Number.isNaN(previous) ? NaN : Math.max(previous, d);
  }
  return bands;
}

export interface GroupResult extends GroupSpec {
  /** The worst e in the group (NaN if any tensor gave NaN). */
  readonly worst: number;
  readonly worstTensor: string;
  readonly tensors: number;
  readonly ok: boolean;
}

/** Collects per-tensor errors into groups and reports each group's worst against its tolerance. */
export class GroupTable {
  private readonly worst = new Map<GroupName, { e: number; tensor: string; count: number }>();

  constructor(readonly specs: readonly GroupSpec[]) {}

  add(group: GroupName, tensor: string, e: number): void {
    const cur = this.worst.get(group);
    if (cur === undefined) {
      this.worst.set(group, { e, tensor, count: 1 });
      return;
    }
    cur.count++;
    if (!Number.isNaN(cur.e) && (Number.isNaN(e) || e > cur.e)) Object.assign(cur, { e, tensor });
  }

  /** One result per group that received at least one tensor, in spec order. */
  results(): GroupResult[] {
    return this.specs.flatMap((spec) => {
      const w = this.worst.get(spec.name);
      if (w === undefined) return [];
      return [{ ...spec, worst: w.e, worstTensor: w.tensor, tensors: w.count, ok: w.e <= spec.tolerance }];
    });
  }
}
