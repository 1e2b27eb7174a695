export { Tensor, numElements, formatShape, sameShape, type Shape } from './tensor.ts';
export { Tape, type BackwardOptions } from './tape.ts';
export { defineOp, type OpDef, type Forward, type Recorded } from './op.ts';
export { ParamStore } from './params.ts';
export { counterHash, counterUniform, lowbias32 } from './random.ts';
export type * from './backend.ts';
