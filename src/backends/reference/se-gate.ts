import type { FusedInferenceKernels } from '../../runtime/backend.ts';
import { denseInference } from './dense.ts';
import { eachDirection, samplesOf, weightsOf } from './directions.ts';
import { mulInference } from './mul.ts';
import { reduceSumInference } from './reduce-sum.ts';
import { reluInference } from './relu.ts';
import { sigmoidInference } from './sigmoid.ts';

/** se-gate as the composition of the unfused reference kernels (reduceSum, dense, relu, sigmoid, mul). */
export const seGateInference: FusedInferenceKernels['seGate'] = {
  forward(partial, fc1w, fc1b, fc2w, fc2b, w1x1, { scale }) {
    const op = 'seGate.forward';
    const chans = partial.shape[3]!;
    return eachDirection((d) => {
      const s = reduceSumInference.forward(samplesOf(op, 'rowSums', partial, d), { axis: 1, count: 2, scale });
      const weights = (name: string, t: typeof fc1w) => weightsOf(op, name, t, d, [chans, chans]);
      const vector = (name: string, t: typeof fc1b) => weightsOf(op, name, t, d, [chans]);
      const hidden = reluInference.forward(denseInference.forward(s, weights('fc1w', fc1w), vector('fc1b', fc1b)));
      const gate = sigmoidInference.forward(denseInference.forward(hidden, weights('fc2w', fc2w), vector('fc2b', fc2b)));
      const batch = gate.shape[0]!;
      return mulInference.forward(gate.view([1, batch, chans]), weightsOf(op, 'w1x1', w1x1, d, [1, chans])).view([batch, chans]);
    });
  },
};
