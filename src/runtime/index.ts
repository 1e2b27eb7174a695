export { Tensor, numElements, formatShape, sameShape, type Shape } from './tensor.ts';
export { Tape, type BackwardOptions } from './tape.ts';
export { gradientOf, runOp, type Forward, type Gradient, type GradientTable, type OpDef, type Recorded } from './op.ts';
export { ForwardPass, type Graph, type TrainingGraph } from './graph.ts';
export { ParamStore } from './params.ts';
export { counterHash, counterUniform, lowbias32 } from './random.ts';
export type * from './backend.ts';
export { withTraining } from './backend.ts';
