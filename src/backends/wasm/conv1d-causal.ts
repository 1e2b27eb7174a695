import type { InferenceKernels } from '../../runtime/backend.ts';
import type { WasmTensors } from './tensors.ts';

/**
 * The conv1d-causal family on wasm tensors (kernels/network/conv1d-causal.ts): x (B, T, Cin), w (Cout, Cin, K)
 * → (B, T, Cout), tap k reading x[t − (K−1−k)·d]. Scratch holds the packed weights for the call.
 */
export function conv1dCausalInference(w: WasmTensors): InferenceKernels['conv1dCausal'] {
  const k = w.kernels;
  return {
    forward(x, weight, bias, { taps, dilation }) {
      const [batch, time, cin, cout] = [x.shape[0]!, x.shape[1]!, x.shape[2]!, weight.shape[0]!];
      const y = w.output([batch, time, cout], 'conv1d-causal.y');
      w.withScratch(k.conv1dCausalScratchBytes(cout, cin, taps), (scratch) =>
        k.conv1dCausalForward(w.ptr(x), w.ptr(weight), w.ptr(bias), w.ptr(y), scratch, batch, time, cin, cout, taps, dilation),
      );
      return y;
    },
  };
}
