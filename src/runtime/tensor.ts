/** A shape in elements, outermost axis first (C order, last axis fastest). */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for the empty shape). */
export function numElements(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `(2, 32, 39)`: how shapes appear in messages. */
export function formatShape(shape: Shape): string {
  return `(${shape.join(', ')})`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * A tensor owned by one backend: its shape, the backend's storage (a Float64Array on the reference backend,
 * a GPUBuffer on WebGPU; only that backend looks inside) and an optional name (the golden name of a parameter
 * or activation, used as the GPU buffer label). Values cross to the CPU only through `backend.read`.
 */
export class Tensor {
  /** True for trainable parameters and for every op output computed from one while a tape records. */
  requiresGrad = false;

  constructor(
    readonly shape: Shape,
    readonly storage: unknown,
    public name?: string,
  ) {}

  get numElements(): number {
    return numElements(this.shape);
  }

  /** The same storage seen with another shape of the same size: a reshape costs nothing on any backend. */
  view(shape: Shape): Tensor {
    if (numElements(shape) !== this.numElements) {
      throw new RangeError(`cannot view ${formatShape(this.shape)} as ${formatShape(shape)}: sizes differ`);
    }
    return new Tensor(shape, this.storage);
  }
}
