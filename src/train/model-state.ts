/**
 * A model's tensors between a backend and a file. Model files and checkpoints store parameters and BatchNorm
 * buffers by golden name; these functions read a ParamStore back to the host, upload host tensors as a ParamStore
 * (every name and shape checked against the config, so a file for another network is a clear error), and read
 * an MsseConfig back from a file's JSON.
 */
import { FRONT_END_SETTINGS } from '../audio/mfcc-settings.ts';
import { FormatError } from '../errors.ts';
import { expectFrontEnd, loadModel, type LoadedModel } from '../io/model-file.ts';
import type { MsseConfig } from '../model/config.ts';
import { bufferSpecs, paramSpecs, type ParamSpec } from '../model/params.ts';
import type { Backend } from '../runtime/backend.ts';
import { ParamStore } from '../runtime/params.ts';
import { formatShape, sameShape, type Shape, type Tensor } from '../runtime/tensor.ts';

/**
 * A tensor on the host in C order: Float64Array from the reference backend (checkpoints keep every bit, so a
 * resumed run equals an uninterrupted one), Float32Array from WebGPU and model files.
 */
export interface HostTensor {
  readonly shape: Shape;
  readonly data: Float32Array | Float64Array;
}

/** A model's state on the host: trainable parameters and BatchNorm running statistics, by golden name. */
export interface HostStore {
  readonly parameters: Map<string, HostTensor>;
  readonly buffers: Map<string, HostTensor>;
}

/** Reads every parameter and buffer of `store` back from the backend, in the store's order. */
export async function readStore(backend: Backend, store: ParamStore): Promise<HostStore> {
  const read = async (tensors: ReadonlyMap<string, Tensor>): Promise<Map<string, HostTensor>> => {
    const out = new Map<string, HostTensor>();
    for (const [name, tensor] of tensors) out.set(name, { shape: tensor.shape, data: await backend.read(tensor) });
    return out;
  };
  return { parameters: await read(store.params), buffers: await read(store.buffers) };
}

/**
 * Uploads host tensors as the ParamStore of an MS-SENet with `config`: exactly the tensors paramSpecs and
 * bufferSpecs name, each with its shape.
 * @throws FormatError naming `file`: a tensor missing, of another shape, or not part of this network
 */
export function uploadStore(backend: Backend, config: MsseConfig, host: HostStore, file: string): ParamStore {
  const store = new ParamStore();
  const take = (specs: readonly ParamSpec[], tensors: Map<string, HostTensor>, add: (name: string, values: HostTensor) => void) => {
    for (const spec of specs) {
      const tensor = tensors.get(spec.name);
      if (tensor === undefined) throw new FormatError(`tensor "${spec.name}" is missing; expected ${formatShape(spec.shape)} for this config`, { file });
      if (!sameShape(tensor.shape, spec.shape)) {
        throw new FormatError(`tensor "${spec.name}" has shape ${formatShape(tensor.shape)}; expected ${formatShape(spec.shape)} for this config`, { file });
      }
      add(spec.name, tensor);
    }
    const known = new Set(specs.map((s) => s.name));
    const extra = [...tensors.keys()].find((name) => !known.has(name));
    if (extra !== undefined) throw new FormatError(`tensor "${extra}" is not part of an MS-SENet with this config`, { file });
  };
  take(paramSpecs(config), host.parameters, (name, t) => store.addParam(name, backend.upload(t.data, t.shape, name)));
  take(bufferSpecs(config), host.buffers, (name, t) => store.addBuffer(name, backend.upload(t.data, t.shape, name)));
  return store;
}

/**
 * An MsseConfig from a file's `config` JSON, every field checked (a hand-edited or foreign file must not reach
 * the kernels with a fractional channel count).
 * @throws FormatError naming `file` and the first bad field
 */
export function parseMsseConfig(json: Readonly<Record<string, unknown>>, file: string): MsseConfig {
  const fail = (field: string, value: unknown, expected: string): never => {
    throw new FormatError(`metadata "config": ${field} is ${JSON.stringify(value) ?? 'missing'}; expected ${expected}`, { file });
  };
  const integer = (value: unknown, field: string, min: number): number =>
    typeof value === 'number' && Number.isInteger(value) && value >= min ? value : fail(field, value, `an integer >= ${min}`);
  const fraction = (value: unknown, field: string): number =>
    typeof value === 'number' && value >= 0 && value < 1 ? value : fail(field, value, 'a number in [0, 1)');
  const positive = (value: unknown, field: string): number =>
    typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fail(field, value, 'a positive number');
  const kernels = json['tfKernels'];
  const isPair = (k: unknown): k is unknown[] => Array.isArray(k) && k.length === 2;
  const tfKernels =
    Array.isArray(kernels) && kernels.length > 0 && kernels.every(isPair)
      ? kernels.map((k, p) => [integer(k[0], `tfKernels[${p}][0]`, 1), integer(k[1], `tfKernels[${p}][1]`, 1)] as const)
      : fail('tfKernels', kernels, 'a non-empty array of [kh, kw] pairs');
  const adam = json['adam'];
  if (adam === null || typeof adam !== 'object' || Array.isArray(adam)) return fail('adam', adam, 'an object {lr, beta1, beta2, eps}');
  const a = adam as Record<string, unknown>;
  return {
    feat: integer(json['feat'], 'feat', 1),
    filters: integer(json['filters'], 'filters', 1),
    numClasses: integer(json['numClasses'], 'numClasses', 2),
    numDilations: integer(json['numDilations'], 'numDilations', 1),
    tfKernels,
    tabKernel: integer(json['tabKernel'], 'tabKernel', 1),
    dropout2d: fraction(json['dropout2d'], 'dropout2d'),
    dropout1d: fraction(json['dropout1d'], 'dropout1d'),
    bnEps: positive(json['bnEps'], 'bnEps'),
    bnMomentum: fraction(json['bnMomentum'], 'bnMomentum'),
    labelSmoothing: fraction(json['labelSmoothing'], 'labelSmoothing'),
    adam: {
      lr: positive(a['lr'], 'adam.lr'),
      beta1: fraction(a['beta1'], 'adam.beta1'),
      beta2: fraction(a['beta2'], 'adam.beta2'),
      eps: positive(a['eps'], 'adam.eps'),
    },
  };
}

/** A model file read and checked against this msse: network config, labels, and the front end it was trained with. */
export interface CheckedModel {
  readonly model: LoadedModel;
  readonly config: MsseConfig;
  /** The signal length (samples at 22050 Hz) its features were computed at. */
  readonly lengthSamples: number;
}

/**
 * Reads a model file for inference: the front end must be ours apart from the signal length (which the model
 * carries), the config valid, one label per class.
 * @throws FormatError naming `path`
 */
export function loadCheckedModel(path: string): CheckedModel {
  const model = loadModel(path);
  const trained = model.frontEnd.lengthSamples;
  const lengthSamples = typeof trained === 'number' && Number.isInteger(trained) && trained > 0 ? trained : FRONT_END_SETTINGS.lengthSamples;
  expectFrontEnd(model, { ...FRONT_END_SETTINGS, lengthSamples });
  const config = parseMsseConfig(model.config, path);
  if (model.labels.length !== config.numClasses) {
    throw new FormatError(`${model.labels.length} labels for a network of ${config.numClasses} classes`, { file: path });
  }
  return { model, config, lengthSamples };
}
