import type { Tensor } from '../../runtime/tensor.ts';
import type { NetworkTrainingExports } from './exports.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * Elements per thread at least in an elementwise pass: below this (128 KiB of f32), waking a worker costs about
 * what the work does, so small tensors stay on one thread.
 */
const ELEMENT_GRAIN = 1 << 15;
/** Outputs per thread at least in a combine step (each adds one value of every part: tens to thousands). */
const COMBINE_GRAIN = 1024;

/** Rows of `width` elements per thread at least: ELEMENT_GRAIN elements' worth (empty rows: all on one thread). */
export function rowGrain(width: number): number {
  return Math.ceil(ELEMENT_GRAIN / Math.max(1, width));
}

/** A reduction's parts kernel: export `kernel` writes parts [lo, hi) as rows of `width` f32 into `partials`. */
export interface Parts {
  readonly kernel: string;
  readonly parts: number;
  readonly width: number;
  readonly args: (lo: number, hi: number, partials: number, scratch: number) => readonly number[];
  /** Scratch of a range of `parts` parts (none by default). */
  readonly scratchBytes?: (parts: number) => number;
}

/**
 * Runs a reduction split over the threads with bits that do not depend on their count
 * (kernels/network/accumulate.ts): the parts (set by the shape alone) go to the threads in contiguous ranges, each
 * part writing its row of a partials block; then `combine` runs with that block, which lives until it returns.
 */
export function overParts<T>(w: WasmTensors<NetworkTrainingExports>, parts: Parts, combine: (partials: number) => T): T {
  return w.withScratch(w.kernels.partialsBytes(parts.parts, parts.width), (partials) => {
    w.parallel(parts.kernel, parts.parts, parts.scratchBytes ?? (() => 0), (lo, hi, scratch) => parts.args(lo, hi, partials, scratch));
    return combine(partials);
  });
}

/** How sumParts lays out its outputs (kernels/network/accumulate.ts sumParts). */
export interface Combine {
  /** Multiplies each sum (f64) before the rounding; 1 by default. */
  readonly scale?: number;
  /** Groups of parts / groups consecutive parts, each summed into its own `width` outputs; 1 by default. */
  readonly groups?: number;
  /** A part row laid out (taps, width / taps) goes to the output transposed, (width / taps, taps); 1 by default. */
  readonly taps?: number;
}

/**
 * Sums a reduction's parts into `out`: the common combine (kernels/network/accumulate.ts sumParts), each group's
 * rows in part order (f64), scaled, rounded once; the outputs split over the threads.
 */
export function reduceOverParts(w: WasmTensors<NetworkTrainingExports>, parts: Parts, out: Tensor, { scale = 1, groups = 1, taps = 1 }: Combine = {}): void {
  overParts(w, parts, (partials) =>
    w.parallel(
      'sumParts',
      groups * parts.width,
      (outputs) => w.kernels.sumPartsScratchBytes(outputs),
      (lo, hi, scratch) => [partials, w.ptr(out), scratch, lo, hi, parts.parts / groups, parts.width, taps, scale],
      COMBINE_GRAIN,
    ),
  );
}

/** Runs the flat elementwise kernel `name(...pointers at element lo, hi − lo, ...rest)` over n elements, split. */
export function elementwise(w: WasmTensors, name: string, n: number, tensors: readonly Tensor[], ...rest: readonly number[]): void {
  w.parallel(name, n, () => 0, (lo, hi) => [...tensors.map((t) => w.at(t, lo)), hi - lo, ...rest], ELEMENT_GRAIN);
}
