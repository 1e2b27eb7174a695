import type { FusedInferenceKernels } from '../../runtime/backend.ts';
import { denseInference } from './dense.ts';
import { eachDirection, samplesOf, weightsOf } from './directions.ts';
import { input, output } from './view.ts';

/** direction-dense as the unfused dense on each direction's samples with that direction's (unpacked) weights. */
export const directionDenseInference: FusedInferenceKernels['directionDense'] = {
  forward(x, w, b) {
    const op = 'directionDense.forward';
    const [inputs, outputs] = [w.shape[1]!, b.shape[1]!];
    const W = input(op, 'w', w);
    return eachDirection((d) => {
      const { tensor: wd, view } = output(op, 'unpacked', [outputs, inputs]);
      for (let o = 0; o < outputs; o++) for (let i = 0; i < inputs; i++) view.set(W.get(d, i, o), o, i);
      return denseInference.forward(samplesOf(op, 'x', x, d), wd, weightsOf(op, 'b', b, d, [outputs]));
    });
  },
};
