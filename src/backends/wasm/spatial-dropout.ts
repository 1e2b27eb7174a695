import type { DropoutAttrs, TrainingKernels } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import type { NetworkTrainingExports } from './exports.ts';
import { elementwise } from './parts.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * The spatial-dropout family on wasm tensors (kernels/network/spatial-dropout.ts): one keep/drop per (sample,
 * channel) from the counter hash (kernels/network/random.ts, the same u32 arithmetic as src/runtime/random.ts),
 * x seen as (B, M, C), samples (forward) or elements (backward) split over the threads. The u32 attrs cross as i32
 * bits (JS ToInt32), compared unsigned in the module.
 */
export function spatialDropoutTraining(w: WasmTensors<NetworkTrainingExports>): TrainingKernels['spatialDropout'] {
  const run = (x: Tensor, attrs: DropoutAttrs, relu: boolean): Tensor => {
    const y = w.output(x.shape, relu ? 'spatial-dropout.relu.y' : 'spatial-dropout.y');
    dropoutInto(w, x, y, attrs, relu);
    return y;
  };
  return {
    forward: (x, attrs) => run(x, attrs, false),
    reluForward: (x, attrs) => run(x, attrs, true),
    reluBackward(dy, y, { scale }) {
      const dx = w.output(dy.shape, 'spatial-dropout.dx');
      elementwise(w, 'spatialDropoutReluBackward', dy.numElements, [dy, y, dx], scale);
      return dx;
    },
  };
}

/** y = dropout(f(x)) with f = relu or the identity. */
function dropoutInto(w: WasmTensors<NetworkTrainingExports>, x: Tensor, y: Tensor, { seed, stream, step, keepBelow, scale }: DropoutAttrs, relu: boolean): void {
  const [batch, chans] = [x.shape[0]!, x.shape[x.shape.length - 1]!];
  const mid = x.numElements / (batch * chans);
  const k = w.kernels;
  w.parallel(
    'spatialDropoutForward',
    batch,
    () => k.spatialDropoutScratchBytes(chans),
    (lo, hi, scratch) => [w.ptr(x), w.ptr(y), scratch, lo, hi, mid, chans, seed, stream, step, keepBelow, scale, relu ? 1 : 0],
  );
}
