import { InternalError } from '../../errors.ts';
import { formatShape, numElements, Tensor, type Shape } from '../../runtime/tensor.ts';

/**
 * The one place the reference backend touches tensor memory. Every element access goes through `index`, which
 * checks each coordinate against its axis (an extra coordinate must be 0) and throws a RangeError naming the kernel, the tensor and the index,
 * where a GPU would silently read some other element. Up to rank 4, C order.
 */
export class View {
  // The shape padded with trailing 1s to rank 4, as plain fields: the bounds check is four comparisons.
  private readonly d0: number;
  private readonly d1: number;
  private readonly d2: number;
  private readonly d3: number;

  constructor(
    /** `family.kernel`, e.g. `conv2d.backwardWeight`. */
    readonly op: string,
    /** The kernel's name for the tensor: `x`, `w`, `dy`, … */
    readonly tensor: string,
    readonly data: Float64Array,
    readonly shape: Shape,
  ) {
    if (shape.length < 1 || shape.length > 4 || numElements(shape) !== data.length) {
      throw new InternalError(`${op}: ${tensor} viewed as ${formatShape(shape)} over ${data.length} elements`);
    }
    [this.d0, this.d1, this.d2, this.d3] = [shape[0]!, shape[1] ?? 1, shape[2] ?? 1, shape[3] ?? 1];
  }

  /** Flat C-order index of (i0, i1, i2, i3), one coordinate per axis (omitted trailing ones are 0). */
  index(i0: number, i1 = 0, i2 = 0, i3 = 0): number {
    if (!(inside(i0, this.d0) && inside(i1, this.d1) && inside(i2, this.d2) && inside(i3, this.d3))) {
      this.fail(i0, i1, i2, i3);
    }
    return ((i0 * this.d1 + i1) * this.d2 + i2) * this.d3 + i3;
  }

  /** Kept out of `index` so the hot path stays small enough to inline. */
  private fail(i0: number, i1: number, i2: number, i3: number): never {
    const given = [i0, i1, i2, i3].slice(0, Math.max(this.shape.length, i3 !== 0 ? 4 : i2 !== 0 ? 3 : i1 !== 0 ? 2 : 1));
    throw new RangeError(`${this.op}: ${this.tensor} index (${given.join(', ')}) out of bounds for shape ${formatShape(this.shape)}`);
  }

  get(i0: number, i1 = 0, i2 = 0, i3 = 0): number {
    return this.data[this.index(i0, i1, i2, i3)]!;
  }

  set(value: number, i0: number, i1 = 0, i2 = 0, i3 = 0): void {
    this.data[this.index(i0, i1, i2, i3)] = value;
  }
}

/** A non-negative integer below size (`i >>> 0 === i` rejects negatives and fractions in one comparison). */
function inside(i: number, size: number): boolean {
  return i >>> 0 === i && i < size;
}

/** The Float64Array behind a reference tensor. */
export function storageOf(op: string, name: string, t: Tensor): Float64Array {
  if (!(t.storage instanceof Float64Array)) {
    throw new InternalError(`${op}: ${name} is not a reference-backend tensor`);
  }
  return t.storage;
}

/** A checked view of an input tensor, optionally seen with another shape of the same size. */
export function input(op: string, name: string, t: Tensor, shape: Shape = t.shape): View {
  return new View(op, name, storageOf(op, name, t), shape);
}

/** A new zero-filled tensor and a checked view of it (seen as `viewShape` when given). */
export function output(op: string, name: string, shape: Shape, viewShape: Shape = shape): { tensor: Tensor; view: View } {
  const data = new Float64Array(numElements(shape));
  return { tensor: new Tensor(shape, data), view: new View(op, name, data, viewShape) };
}

/** Product of shape[from, to): the size of a run of axes. */
export function span(shape: Shape, from: number, to: number = shape.length): number {
  return numElements(shape.slice(from, to));
}
