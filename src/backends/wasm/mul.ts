import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { numElements } from '../../runtime/tensor.ts';
import type { NetworkTrainingExports } from './exports.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * The mul family on wasm tensors (kernels/network/mul.ts): y = a · b with b of a's shape, or b (B, C) the gate
 * broadcast over a (B, …, C)'s middle axes (a rank below a's, as the op's contract says).
 */
export function mulInference(w: WasmTensors): InferenceKernels['mul'] {
  return {
    forward(a, b) {
      const y = w.output(a.shape, 'mul.y');
      if (b.shape.length === a.shape.length) {
        w.kernels.mulForward(w.ptr(a), w.ptr(b), w.ptr(y), a.numElements);
      } else {
        const [batch, chans] = [a.shape[0]!, a.shape[a.shape.length - 1]!];
        const mid = numElements(a.shape.slice(1, -1));
        w.kernels.mulForwardBroadcast(w.ptr(a), w.ptr(b), w.ptr(y), batch, mid, chans);
      }
      return y;
    },
  };
}

/** mul's backwardB: dy · a (same shapes, mulForward) or its sum over the middle axes for the (B, C) gate. */
export function mulTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['mul'] {
  const k = w.kernels;
  return {
    backwardB(dy, a, b) {
      const db = w.output(b.shape, 'mul.db');
      if (b.shape.length === a.shape.length) {
        k.mulForward(w.ptr(dy), w.ptr(a), w.ptr(db), a.numElements);
      } else {
        const [batch, chans] = [a.shape[0]!, a.shape[a.shape.length - 1]!];
        const mid = numElements(a.shape.slice(1, -1));
        w.withScratch(k.mulBackwardScratchBytes(chans), (scratch) => k.mulBackwardBBroadcast(w.ptr(dy), w.ptr(a), w.ptr(db), scratch, batch, mid, chans));
      }
      return db;
    },
  };
}
