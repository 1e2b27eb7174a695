import { TF_PATH_SPAN, type FusedInferenceKernels, type TfPathAttrs } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import { concatInference } from './concat.ts';
import { conv2dInference } from './conv2d.ts';
import { denseInference } from './dense.ts';
import { directionInput, eachDirection, weightsOf } from './directions.ts';
import { reluInference } from './relu.ts';
import { addInference } from './add.ts';
import { input, output } from './view.ts';

/** Path p of direction d: relu(conv2d(x_d) + bias), the unfused kernels in turn, (B, T, F, C). */
function pathValues(op: string, xd: Tensor, w: Tensor, b: Tensor, d: number, p: number, { kernels }: TfPathAttrs): Tensor {
  const chans = b.shape[2]!;
  const [kh, kw] = kernels[p]!;
  const first = kernels.slice(0, p).reduce((sum, [h, v]) => sum + h * v, 0);
  const W = input(op, 'w', w);
  const { tensor: wp, view } = output(op, 'unpacked', [chans, 1, kh, kw]);
  for (let c = 0; c < chans; c++) for (let k = 0; k < kh * kw; k++) view.set(W.get(d, first + k, c), c, 0, Math.floor(k / kw), k % kw);
  const bp = weightsOf(op, 'b', b, d, [chans], p * chans);
  return reluInference.forward(conv2dInference.forward(xd, wp, bp, { kh, kw }));
}

/** v (B, T, F, C) summed over blocks of TF_PATH_SPAN × TF_PATH_SPAN pixels: (B, ⌈T/SPAN⌉, ⌈F/SPAN⌉, C). */
function spanSums(op: string, v: Tensor): Tensor {
  const [batch, time, freq, chans] = v.shape as [number, number, number, number];
  const V = input(op, 'v', v);
  const { tensor, view } = output(op, 'rowSums', [batch, Math.ceil(time / TF_PATH_SPAN), Math.ceil(freq / TF_PATH_SPAN), chans]);
  for (let n = 0; n < batch; n++) {
    for (let t = 0; t < time; t++) {
      for (let f = 0; f < freq; f++) {
        const [u, s] = [Math.floor(t / TF_PATH_SPAN), Math.floor(f / TF_PATH_SPAN)];
        for (let c = 0; c < chans; c++) view.set(view.get(n, u, s, c) + V.get(n, t, f, c), n, u, s, c);
      }
    }
  }
  return tensor;
}

/** tf-path as the composition of the unfused reference kernels (conv2d, relu, dense, concat) and span sums. */
export const tfPathInference: FusedInferenceKernels['tfPath'] = {
  squeeze(x, w, b, attrs) {
    const op = 'tfPath.squeeze';
    return eachDirection((d) => {
      const xd = directionInput(x, d);
      const sums = attrs.kernels.map((_, p) => spanSums(op, pathValues(op, xd, w, b, d, p, attrs)));
      return sums.reduce((a, s) => addInference.forward(a, s));
    });
  },

  collapse(x, w, b, gate, gateBias, attrs) {
    const op = 'tfPath.collapse';
    const [batch, time, freq] = x.shape as [number, number, number];
    const chans = b.shape[2]!;
    return eachDirection((d) => {
      const xd = directionInput(x, d);
      const perSample = weightsOf(op, 'gate', gate.view([2, batch * chans]), d, [batch, chans]);
      const bias = weightsOf(op, 'gateBias', gateBias, d, [1]);
      const paths = attrs.kernels.map((_, p) =>
        denseInference.forwardPerSample(pathValues(op, xd, w, b, d, p, attrs), perSample, bias).view([batch, time, freq]),
      );
      return concatInference.forward([reluInference.forward(concatInference.forward(paths, { axis: 2 })), xd], { axis: 2 });
    });
  },
};
