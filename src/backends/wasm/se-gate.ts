import type { FusedInferenceKernels } from '../../runtime/backend.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * The se-gate family on wasm tensors (kernels/network/se-gate.ts): rowSums (2B, U, S, C) → gate (2B, C), the SE
 * squeeze, both Dense layers and the 1×1 conv weight per sample; samples split over the threads, each range with
 * its own scratch vectors.
 */
export function seGateInference(w: WasmTensors): FusedInferenceKernels['seGate'] {
  const k = w.kernels;
  return {
    forward(partial, fc1w, fc1b, fc2w, fc2b, w1x1, { scale }) {
      const [stacked, chans] = [partial.shape[0]!, partial.shape[3]!];
      const rows = partial.shape[1]! * partial.shape[2]!;
      const gate = w.output([stacked, chans], 'se-gate.gate');
      const weights = [fc1w, fc1b, fc2w, fc2b, w1x1].map((t) => w.ptr(t));
      w.parallel('seGateForward', stacked, () => k.seGateScratchBytes(chans), (lo, hi, scratch) => [
        w.ptr(partial), ...weights, w.ptr(gate), scratch, lo, hi, stacked / 2, rows, chans, scale,
      ]);
      return gate;
    },
  };
}
