import type { FusedInferenceBackend } from '../../runtime/backend.ts';
import { numElements, Tensor, formatShape, type Shape } from '../../runtime/tensor.ts';
import { InternalError } from '../../errors.ts';
import { addInference } from './add.ts';
import { batchNormInference } from './batch-norm.ts';
import { concatInference } from './concat.ts';
import { conv1dCausalInference } from './conv1d-causal.ts';
import { conv2dInference } from './conv2d.ts';
import { denseInference } from './dense.ts';
import { directionDenseInference } from './direction-dense.ts';
import { mulInference } from './mul.ts';
import { reduceSumInference } from './reduce-sum.ts';
import { reluInference } from './relu.ts';
import { reverseTimeInference } from './reverse-time.ts';
import { sigmoidInference } from './sigmoid.ts';
import { tabInferenceInference } from './tab-inference.ts';
import { tfPathInference } from './tf-path.ts';
import { storageOf } from './view.ts';
import { weightedSumInference } from './weighted-sum.ts';

/**
 * The float64 reference backend's inference part: the executable specification every other backend is checked
 * against, with the fused inference kernels as compositions of the unfused ones. Plain loops over Float64Array storage, every index checked (view.ts). Stateless, so one shared instance.
 */
export const referenceInference: FusedInferenceBackend = {
  name: 'reference',
  add: addInference,
  reduceSum: reduceSumInference,
  relu: reluInference,
  sigmoid: sigmoidInference,
  mul: mulInference,
  concat: concatInference,
  reverseTime: reverseTimeInference,
  dense: denseInference,
  conv2d: conv2dInference,
  conv1dCausal: conv1dCausalInference,
  batchNorm: batchNormInference,
  weightedSum: weightedSumInference,
  tfPath: tfPathInference,
  directionDense: directionDenseInference,
  tabInference: tabInferenceInference,
  upload(values: ArrayLike<number>, shape: Shape, name?: string): Tensor {
    if (values.length !== numElements(shape)) {
      throw new InternalError(`upload${name ? ` ${name}` : ''}: ${values.length} values for shape ${formatShape(shape)}`);
    }
    return new Tensor(shape, Float64Array.from(values), name);
  },
  async read(tensor: Tensor): Promise<Float64Array> {
    return storageOf('read', tensor.name ?? 'tensor', tensor).slice();
  },
  releaseTransients() {},
  dispose() {},
  release() {},
};
