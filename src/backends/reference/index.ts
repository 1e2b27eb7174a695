import type { Backend, Kernels } from '../../runtime/backend.ts';
import { numElements, Tensor, formatShape, type Shape } from '../../runtime/tensor.ts';
import { InternalError } from '../../errors.ts';
import { adam } from './adam.ts';
import { add } from './add.ts';
import { batchNorm } from './batch-norm.ts';
import { concat } from './concat.ts';
import { conv1dCausal } from './conv1d-causal.ts';
import { conv2d } from './conv2d.ts';
import { dense } from './dense.ts';
import { mul } from './mul.ts';
import { reduceSum } from './reduce-sum.ts';
import { relu } from './relu.ts';
import { reverseTime } from './reverse-time.ts';
import { sigmoid } from './sigmoid.ts';
import { softmaxCrossEntropy } from './softmax-cross-entropy.ts';
import { spatialDropout } from './spatial-dropout.ts';
import { storageOf } from './view.ts';
import { weightedSum } from './weighted-sum.ts';

const kernels: Kernels = {
  add,
  reduceSum,
  relu,
  sigmoid,
  mul,
  spatialDropout,
  concat,
  reverseTime,
  dense,
  conv2d,
  conv1dCausal,
  batchNorm,
  weightedSum,
  softmaxCrossEntropy,
  adam,
};

/**
 * The float64 reference backend: the executable specification every other backend is checked against.
 * Plain loops over Float64Array storage, every index checked (view.ts). Stateless, so one shared instance.
 */
export const referenceBackend: Backend = {
  ...kernels,
  name: 'reference',
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
