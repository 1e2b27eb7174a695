import type { InferenceKernels } from '../../runtime/backend.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * The conv2d family on wasm tensors (kernels/network/conv2d.ts): x (B, T, F), w (C, 1, KH, KW) → (B, T, F, C),
 * TF 'same' padding. Scratch holds the packed weights and the zero-padded image for the call.
 */
export function conv2dInference(w: WasmTensors): InferenceKernels['conv2d'] {
  const k = w.kernels;
  return {
    forward(x, weight, bias, { kh, kw }) {
      const [batch, time, freq, chans] = [x.shape[0]!, x.shape[1]!, x.shape[2]!, weight.shape[0]!];
      const y = w.output([batch, time, freq, chans], 'conv2d.y');
      w.withScratch(k.conv2dScratchBytes(batch, time, freq, chans, kh, kw), (scratch) =>
        k.conv2dForward(w.ptr(x), w.ptr(weight), w.ptr(bias), w.ptr(y), scratch, batch, time, freq, chans, kh, kw),
      );
      return y;
    },
  };
}
