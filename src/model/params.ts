import type { Backend } from '../runtime/backend.ts';
import { ParamStore } from '../runtime/params.ts';
import { counterUniform } from '../runtime/random.ts';
import { numElements, type Shape } from '../runtime/tensor.ts';
import type { MsseConfig } from './config.ts';

/** How a tensor starts (Keras defaults): glorot-uniform kernels, zero biases/beta, unit gamma, wsum U(±0.05). */
export type Init = 'glorot' | 'zeros' | 'ones' | 'wsum';

export interface ParamSpec {
  /** Golden name, e.g. `fwd.tab3.conv2.weight`. */
  readonly name: string;
  /** Golden layout: Conv2D [out, in, kh, kw], Conv1D [out, in, k], Dense [out, in], vectors [C]. */
  readonly shape: Shape;
  readonly init: Init;
}

/** The two branches: `fwd` reads x as is, `bwd` reads x reversed in time; each has its own weights. */
export const DIRECTIONS = ['fwd', 'bwd'] as const;
export type Direction = (typeof DIRECTIONS)[number];

function conv(name: string, shape: Shape): ParamSpec[] {
  return [
    { name: `${name}.weight`, shape, init: 'glorot' },
    { name: `${name}.bias`, shape: [shape[0]!], init: 'zeros' },
  ];
}

function bn(name: string, chans: number): ParamSpec[] {
  return [
    { name: `${name}.gamma`, shape: [chans], init: 'ones' },
    { name: `${name}.beta`, shape: [chans], init: 'zeros' },
  ];
}

/** Every trainable parameter in the golden order (fwd branch, bwd branch, head). */
export function paramSpecs(config: MsseConfig): ParamSpec[] {
  const { feat: F, filters: C, tabKernel: K } = config;
  const branch = (d: Direction): ParamSpec[] => [
    ...config.tfKernels.flatMap(([kh, kw], p) => [...conv(`${d}.tf.path${p + 1}.conv`, [C, 1, kh, kw]), ...bn(`${d}.tf.path${p + 1}.bn`, C)]),
    ...conv(`${d}.se.fc1`, [C, C]),
    ...conv(`${d}.se.fc2`, [C, C]),
    ...conv(`${d}.conv1x1`, [1, C, 1, 1]),
    ...conv(`${d}.conv_in`, [C, (config.tfKernels.length + 1) * F, 1]),
    ...Array.from({ length: config.numDilations }, (_, j) => [
      ...conv(`${d}.tab${j}.conv1`, [C, C, K]),
      ...bn(`${d}.tab${j}.bn1`, C),
      ...conv(`${d}.tab${j}.conv2`, [C, C, K]),
      ...bn(`${d}.tab${j}.bn2`, C),
    ]).flat(),
  ];
  return [
    ...DIRECTIONS.flatMap(branch),
    { name: 'head.wsum', shape: [config.numDilations], init: 'wsum' },
    ...conv('head.dense', [config.numClasses, C]),
  ];
}

/** BatchNorm running statistics, golden names: `….bn.running_mean` (init 0), `….running_var` (init 1). */
export function bufferSpecs(config: MsseConfig): ParamSpec[] {
  const stats = (name: string): ParamSpec[] => [
    { name: `${name}.running_mean`, shape: [config.filters], init: 'zeros' },
    { name: `${name}.running_var`, shape: [config.filters], init: 'ones' },
  ];
  return DIRECTIONS.flatMap((d) => [
    ...config.tfKernels.flatMap((_, p) => stats(`${d}.tf.path${p + 1}.bn`)),
    ...Array.from({ length: config.numDilations }, (_, j) => [...stats(`${d}.tab${j}.bn1`), ...stats(`${d}.tab${j}.bn2`)]).flat(),
  ]);
}

/**
 * Keras fans: Dense [out, in] → (in, out); convolutions → (in·receptive, out·receptive), receptive = product of
 * the kernel's spatial axes (our layouts put them after [out, in]).
 */
export function glorotLimit(shape: Shape): number {
  const receptive = numElements(shape.slice(2));
  const fanIn = shape[1]! * receptive;
  const fanOut = shape[0]! * receptive;
  return Math.sqrt(6 / (fanIn + fanOut));
}

/**
 * Initial values of one parameter, rounded to float32 so every backend starts from the same numbers. Draws come
 * from the counter hash (seed, parameter index, 0, 0, element index): reproducible, no Math.random.
 */
export function initialValues(spec: ParamSpec, index: number, seed: number): Float64Array {
  const n = numElements(spec.shape);
  const values = new Float64Array(n);
  const uniform = (limit: number) => (i: number) => Math.fround((2 * counterUniform(seed, index, 0, 0, i) - 1) * limit);
  const draw =
    spec.init === 'glorot' ? uniform(glorotLimit(spec.shape)) : spec.init === 'wsum' ? uniform(0.05) : () => (spec.init === 'ones' ? 1 : 0);
  for (let i = 0; i < n; i++) values[i] = draw(i);
  return values;
}

/** A fresh model state on `backend`: Keras initialisation from `seed` (u32), BN running mean 0 / variance 1. */
export function initParams(backend: Backend, config: MsseConfig, seed: number): ParamStore {
  const store = new ParamStore();
  paramSpecs(config).forEach((spec, i) => store.addParam(spec.name, backend.upload(initialValues(spec, i, seed), spec.shape)));
  for (const spec of bufferSpecs(config)) store.addBuffer(spec.name, backend.upload(initialValues(spec, 0, seed), spec.shape));
  return store;
}
