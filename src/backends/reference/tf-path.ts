import type { FusedInferenceKernels, SeGateWeights, TfPathAttrs } from '../../runtime/backend.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import { addInference } from './add.ts';
import { concatInference } from './concat.ts';
import { conv2dInference } from './conv2d.ts';
import { denseInference } from './dense.ts';
import { directionInput, eachDirection, weightsOf } from './directions.ts';
import { mulInference } from './mul.ts';
import { reduceSumInference } from './reduce-sum.ts';
import { reluInference } from './relu.ts';
import { sigmoidInference } from './sigmoid.ts';
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

/** SE's gate of direction d times the 1×1 conv weight, from the paths: (B, C). */
function seGate(op: string, paths: readonly Tensor[], se: SeGateWeights, d: number): Tensor {
  const [batch, time, freq, chans] = paths[0]!.shape as [number, number, number, number];
  const scale = 1 / (paths.length * time * freq);
  const s = paths.map((v) => reduceSumInference.forward(v, { axis: 1, count: 2, scale })).reduce((a, v) => addInference.forward(a, v));
  const weights = (name: string, t: Tensor) => weightsOf(op, name, t, d, [chans, chans]);
  const vector = (name: string, t: Tensor) => weightsOf(op, name, t, d, [chans]);
  const hidden = reluInference.forward(denseInference.forward(s, weights('fc1w', se.fc1w), vector('fc1b', se.fc1b)));
  const gate = sigmoidInference.forward(denseInference.forward(hidden, weights('fc2w', se.fc2w), vector('fc2b', se.fc2b)));
  return mulInference.forward(gate.view([1, batch, chans]), weightsOf(op, 'w1x1', se.w1x1, d, [1, chans])).view([batch, chans]);
}

/**
 * tf-path as the composition of the unfused reference kernels (conv2d, relu, reduceSum, dense, sigmoid, mul,
 * concat): per direction the paths, the SE squeeze and gate, the gated 1×1 conv and its ReLU, then x_d.
 */
export const tfPathInference: FusedInferenceKernels['tfPath'] = {
  forward(x, w, b, se, attrs) {
    const op = 'tfPath.forward';
    const [batch, time, freq] = x.shape as [number, number, number];
    return eachDirection((d) => {
      const xd = directionInput(x, d);
      const paths = attrs.kernels.map((_, p) => pathValues(op, xd, w, b, d, p, attrs));
      const gate = seGate(op, paths, se, d);
      const bias = weightsOf(op, 'gateBias', se.gateBias, d, [1]);
      const gated = paths.map((v) => denseInference.forwardPerSample(v, gate, bias).view([batch, time, freq]));
      return concatInference.forward([reluInference.forward(concatInference.forward(gated, { axis: 2 })), xd], { axis: 2 });
    });
  },
};
