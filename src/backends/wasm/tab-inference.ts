import type { FusedInferenceKernels } from '../../runtime/backend.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * The tab-inference family on wasm tensors (kernels/network/tab-inference.ts): first and second split the
 * direction-stacked samples over the threads, pool the output samples; weights as uploadFusedParams packs them.
 * `stack` only allocates (blocks, 2B, T, C): its values are undefined until the `second` calls fill it.
 */
export function tabInferenceInference(w: WasmTensors): FusedInferenceKernels['tabInference'] {
  return {
    stack: (h, { blocks }) => w.output([blocks, ...h.shape], 'tab-inference.stack'),
    first(h, weight, b, { taps, dilation }) {
      const [stacked, time, chans] = [h.shape[0]!, h.shape[1]!, h.shape[2]!];
      const a = w.output(h.shape, 'tab-inference.a');
      w.parallel('tabInferenceFirst', stacked, () => 0, (lo, hi) => [w.ptr(h), w.ptr(weight), w.ptr(b), w.ptr(a), lo, hi, stacked / 2, time, chans, taps, dilation]);
      return a;
    },
    second(a, weight, b, h, stack, { taps, dilation, block }) {
      const [stacked, time, chans] = [h.shape[0]!, h.shape[1]!, h.shape[2]!];
      const out = w.output(h.shape, 'tab-inference.out');
      w.parallel('tabInferenceSecond', stacked, () => 0, (lo, hi) => [
        w.ptr(a), w.ptr(weight), w.ptr(b), w.ptr(h), w.ptr(out), w.ptr(stack), lo, hi, stacked / 2, time, chans, taps, dilation, block,
      ]);
      return out;
    },
    pool(stack, wsum) {
      const [blocks, stacked, time, chans] = [stack.shape[0]!, stack.shape[1]!, stack.shape[2]!, stack.shape[3]!];
      const z = w.output([stacked / 2, chans], 'tab-inference.z');
      w.parallel('tabInferencePool', stacked / 2, () => 0, (lo, hi) => [w.ptr(stack), w.ptr(wsum), w.ptr(z), lo, hi, stacked / 2, time, chans, blocks]);
      return z;
    },
  };
}
