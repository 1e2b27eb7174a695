import type { BackendIO } from '../runtime/backend.ts';
import { Tensor, type Shape } from '../runtime/tensor.ts';

/** One kernel call as `timeKernelCalls` saw it. */
export interface KernelCall {
  /** `family.entry`, the family in kebab-case as in src/ops/ and the WebGPU pipeline labels: `conv1d-causal.forward`. */
  readonly label: string;
  /** Shapes of the tensor arguments in order (an array argument, concat's parts, opened). */
  readonly inputs: readonly Shape[];
  /** Shapes of the returned tensors (a returned record's, { y, mean, variance }, in order; none for in-place kernels). */
  readonly outputs: readonly Shape[];
  /** Wall time of the call. */
  readonly ms: number;
}

/**
 * A view of `backend` whose kernels report every call to `onCall` with its wall time (performance.now() around it).
 * On a backend whose kernels run when called (wasm, reference) that is the kernel's time. Every property holding an
 * object of functions is a kernel family and is wrapped, whichever part of the interface it comes from (inference,
 * training, fused); the rest (upload, read, name) is reached through the prototype. A kernel calling another inside
 * its backend does so without the wrapper, so no time is counted twice.
 */
export function timeKernelCalls<B extends BackendIO>(backend: B, onCall: (call: KernelCall) => void): B {
  const timed = Object.create(backend) as Record<string, unknown>;
  for (const [family, kernels] of Object.entries(backend)) {
    if (!isKernelFamily(kernels)) continue;
    const prefix = family.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const entries = Object.entries(kernels).map(([entry, kernel]) => {
      const label = `${prefix}.${entry}`;
      const timedKernel = (...args: unknown[]): unknown => {
        const started = performance.now();
        const result: unknown = Reflect.apply(kernel, kernels, args);
        const ms = performance.now() - started;
        const returned = result instanceof Tensor || typeof result !== 'object' || result === null ? [result] : Object.values(result);
        onCall({ label, inputs: tensorShapes(args), outputs: tensorShapes(returned), ms });
        return result;
      };
      return [entry, timedKernel];
    });
    timed[family] = Object.fromEntries(entries);
  }
  return timed as B;
}

function isKernelFamily(value: unknown): value is Record<string, (...args: unknown[]) => unknown> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'function');
}

/** Shapes of the tensors among `values`, in order, arrays and objects of tensors (tf-path's SE weights) opened. */
function tensorShapes(values: readonly unknown[]): Shape[] {
  const opened = (v: unknown) => Array.isArray(v) || (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype);
  return values.flatMap((v) => (v instanceof Tensor ? [v.shape] : opened(v) ? tensorShapes(Object.values(v as object)) : []));
}
