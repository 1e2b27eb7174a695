import { InternalError } from '../errors.ts';
import type { Tensor } from './tensor.ts';

/**
 * A model's state by golden name: trainable parameters (`fwd.tab3.conv2.weight`, …; they require gradients) and
 * BatchNorm buffers (`….running_mean`, `….running_var`; updated in place by training-mode forwards). Insertion
 * order is the model's parameter order.
 */
export class ParamStore {
  readonly params = new Map<string, Tensor>();
  readonly buffers = new Map<string, Tensor>();

  addParam(name: string, tensor: Tensor): void {
    tensor.name = name;
    tensor.requiresGrad = true;
    this.params.set(name, tensor);
  }

  addBuffer(name: string, tensor: Tensor): void {
    tensor.name = name;
    this.buffers.set(name, tensor);
  }

  param(name: string): Tensor {
    const t = this.params.get(name);
    if (t === undefined) throw new InternalError(`no parameter '${name}' in the store`);
    return t;
  }

  buffer(name: string): Tensor {
    const t = this.buffers.get(name);
    if (t === undefined) throw new InternalError(`no buffer '${name}' in the store`);
    return t;
  }
}
