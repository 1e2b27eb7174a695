import type { InferenceKernels, TrainingKernels } from '../../runtime/backend.ts';
import { numElements } from '../../runtime/tensor.ts';
import type { NetworkTrainingExports } from './exports.ts';
import { elementwise } from './parts.ts';
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

/**
 * mul's backwardB: dy · a (same shapes, mulForward, elements split over the threads) or its sum over the middle
 * axes for the (B, C) gate (samples split: each sample's sums are its own).
 */
export function mulTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['mul'] {
  const k = w.kernels;
  return {
    backwardB(dy, a, b) {
      const db = w.output(b.shape, 'mul.db');
      if (b.shape.length === a.shape.length) {
        elementwise(w, 'mulForward', a.numElements, [dy, a, db]);
      } else {
        const [batch, chans] = [a.shape[0]!, a.shape[a.shape.length - 1]!];
        const mid = numElements(a.shape.slice(1, -1));
        w.parallel(
          'mulBackwardBBroadcast',
          batch,
          () => k.mulBackwardScratchBytes(chans),
          (lo, hi, scratch) => [w.at(dy, lo * mid * chans), w.at(a, lo * mid * chans), w.at(db, lo * chans), scratch, hi - lo, mid, chans],
        );
      }
      return db;
    },
  };
}
