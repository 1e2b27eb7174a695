import type { FusedInferenceKernels } from '../../runtime/backend.ts';
import { addInference } from './add.ts';
import { concatInference } from './concat.ts';
import { conv1dCausalInference } from './conv1d-causal.ts';
import { eachDirection, samplesOf, weightsOf } from './directions.ts';
import { mulInference } from './mul.ts';
import { reduceSumInference } from './reduce-sum.ts';
import { reluInference } from './relu.ts';
import { sigmoidInference } from './sigmoid.ts';
import { input, output, storageOf } from './view.ts';
import { invariant } from '../../errors.ts';
import { weightedSumInference } from './weighted-sum.ts';
import type { Conv1dAttrs } from '../../runtime/backend.ts';
import { Tensor } from '../../runtime/tensor.ts';

/** Direction d's conv weight (Cout, Cin, K) from the packed (2, K, Cin, 4⌈Cout/4⌉). */
function unpacked(op: string, w: Tensor, d: number, cout: number): Tensor {
  const [, taps, cin, padded] = w.shape as [number, number, number, number];
  const P = input(op, 'w', w);
  const { tensor, view } = output(op, 'unpacked', [cout, cin, taps]);
  for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) for (let k = 0; k < taps; k++) view.set(P.get(d, k, i, o), o, i, k);
  invariant(padded >= cout, `${op}: packed w has ${padded} output lanes for ${cout} channels`);
  return tensor;
}

/** relu(conv1dCausal(src_d) + b_d) of direction d: the unfused kernels in turn. */
function convRelu(op: string, src: Tensor, w: Tensor, b: Tensor, d: number, attrs: Conv1dAttrs): Tensor {
  const bias = weightsOf(op, 'b', b, d, b.shape.slice(1));
  return reluInference.forward(conv1dCausalInference.forward(samplesOf(op, 'src', src, d), unpacked(op, w, d, bias.shape[0]!), bias, attrs));
}

/** tab-inference as the composition of the unfused reference kernels (conv1dCausal, relu, sigmoid, mul, mean, weightedSum). */
export const tabInferenceInference: FusedInferenceKernels['tabInference'] = {
  /** NaN-filled, so that a block no `second` wrote poisons the pool. */
  stack(h, { blocks }) {
    return new Tensor([blocks, ...h.shape], new Float64Array(blocks * h.numElements).fill(NaN));
  },

  first(h, w, b, attrs) {
    return eachDirection((d) => convRelu('tabInference.first', h, w, b, d, attrs));
  },

  second(a, w, b, h, stack, attrs) {
    const op = 'tabInference.second';
    const out = eachDirection((d) => mulInference.forward(samplesOf(op, 'h', h, d), sigmoidInference.forward(convRelu(op, a, w, b, d, attrs))));
    const values = storageOf(op, 'out', out);
    const slice = storageOf(op, 'stack', stack);
    if (stack.shape[0]! <= attrs.block || slice.length !== stack.shape[0]! * values.length) throw new RangeError(`${op}: stack (${stack.shape.join(', ')}) has no block ${attrs.block} of ${values.length} values`);
    slice.set(values, attrs.block * values.length);
    return out;
  },

  pool(stack, wsum) {
    const op = 'tabInference.pool';
    const [blocks, stacked, time, chans] = stack.shape as [number, number, number, number];
    const batch = stacked / 2;
    const data = storageOf(op, 'stack', stack);
    const size = stacked * time * chans;
    const pooled = Array.from({ length: blocks }, (_, j) => {
      const outputs = new Tensor([stacked, time, chans], data.slice(j * size, (j + 1) * size));
      const sum = addInference.forward(samplesOf(op, 'stack', outputs, 0), samplesOf(op, 'stack', outputs, 1));
      return reduceSumInference.forward(sum, { axis: 1, count: 1, scale: 1 / time }).view([batch, 1, chans]);
    });
    return weightedSumInference.forward(concatInference.forward(pooled, { axis: 1 }), wsum);
  },
};
