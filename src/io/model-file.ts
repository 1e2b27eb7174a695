/**
 * msse's model file: one safetensors file (see safetensors.ts) holding every tensor as F32 under its golden name
 * (`fwd.tab0.conv1.weight`, `fwd.tab0.bn1.running_mean`) and these `__metadata__` keys, each a JSON text:
 *
 *   format      the string `msse-model-v1` itself (not JSON-encoded), so a glance at the header tells what it is
 *   config      the network's configuration object
 *   labels      the class names, array index = output index
 *   front_end   the feature settings the model was trained with (checked by expectFrontEnd before inference)
 *   provenance  how the model was made (data, seed, folds, msse version…): for people and `msse inspect`
 *   buffers     names of the tensors that are state, not parameters (BatchNorm running statistics)
 *
 * This layer deals in named float32 tensors and metadata only; src/model gives the names and shapes meaning.
 * From Python: `safetensors.numpy.load_file(path)` gives the tensors, `safe_open(path, 'np').metadata()` the rest.
 */
import { FormatError, invariant } from '../errors.ts';
import type { Shape } from '../runtime/tensor.ts';
import { decodeSafetensors, encodeSafetensors, type NamedSafetensorsTensor } from './safetensors.ts';

/** The `format` metadata value of the files this code writes and reads; bump it when the layout changes. */
export const MODEL_FORMAT = 'msse-model-v1';

/** A float32 tensor in C order (last axis fastest). */
export interface Float32Tensor {
  readonly shape: Shape;
  readonly data: Float32Array;
}

/** Everything a model file holds. */
export interface ModelContents {
  /** Trainable parameters by name. */
  readonly parameters: ReadonlyMap<string, Float32Tensor>;
  /** Non-trainable state by name (BatchNorm running mean and variance); not counted as parameters. */
  readonly buffers: ReadonlyMap<string, Float32Tensor>;
  readonly config: object;
  readonly labels: readonly string[];
  readonly frontEnd: object;
  readonly provenance: object;
}

/** A model read back: the same contents, metadata as parsed JSON objects, and the file it came from. */
export interface LoadedModel extends ModelContents {
  readonly file: string;
  readonly parameters: Map<string, Float32Tensor>;
  readonly buffers: Map<string, Float32Tensor>;
  readonly config: Readonly<Record<string, unknown>>;
  readonly frontEnd: Readonly<Record<string, unknown>>;
  readonly provenance: Readonly<Record<string, unknown>>;
}

/** Metadata keys, file spelling. */
const KEYS = {
  config: 'config',
  labels: 'labels',
  frontEnd: 'front_end',
  provenance: 'provenance',
  buffers: 'buffers',
} as const;

/**
 * Encodes a model as safetensors bytes (parameters and buffers as F32 tensors, the rest as metadata).
 * Parameter and buffer names must be distinct; each tensor's data length must match its shape.
 */
export function encodeModel(model: ModelContents): Uint8Array {
  const tensors: NamedSafetensorsTensor[] = [];
  for (const group of [model.parameters, model.buffers]) {
    for (const [name, { shape, data }] of group) tensors.push({ name, dtype: 'F32', shape, data });
  }
  for (const name of model.buffers.keys()) {
    invariant(!model.parameters.has(name), `model: "${name}" is both a parameter and a buffer`);
  }
  return encodeSafetensors(tensors, {
    format: MODEL_FORMAT,
    [KEYS.config]: JSON.stringify(model.config),
    [KEYS.labels]: JSON.stringify(model.labels),
    [KEYS.frontEnd]: JSON.stringify(model.frontEnd),
    [KEYS.provenance]: JSON.stringify(model.provenance),
    [KEYS.buffers]: JSON.stringify([...model.buffers.keys()].sort()),
  });
}

/**
 * Decodes model bytes, checking that they are an msse model of this format with complete metadata.
 * @param file names the file in errors
 * @throws FormatError naming `file`: not safetensors, not an msse model, truncated, metadata missing or invalid
 */
export function decodeModel(bytes: Uint8Array, file: string): LoadedModel {
  const fail: (message: string, cause?: unknown) => never = (message, cause) => {
    throw new FormatError(message, { file, cause });
  };
  const { tensors, metadata } = decodeSafetensors(bytes, file);
  const format = metadata.format;
  if (format === undefined) fail(`not an msse model: no "format" in the metadata; expected "${MODEL_FORMAT}"`);
  if (format !== MODEL_FORMAT) {
    fail(
      format.startsWith('msse-model-')
        ? `model format "${format}" is not supported by this msse; expected "${MODEL_FORMAT}"`
        : `not an msse model: metadata format is "${format}"; expected "${MODEL_FORMAT}"`,
    );
  }

  const json = (key: string): unknown => {
    const text = metadata[key];
    if (text === undefined) return fail(`metadata "${key}" is missing`);
    try {
      return JSON.parse(text);
    } catch (cause) {
      return fail(`metadata "${key}" is not valid JSON`, cause);
    }
  };
  const object = (key: string): Record<string, unknown> => {
    const value = json(key);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`metadata "${key}" is not a JSON object`);
    return value as Record<string, unknown>;
  };
  const strings = (key: string): string[] => {
    const value = json(key);
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      fail(`metadata "${key}" is not a JSON array of strings`);
    }
    return value as string[];
  };

  const bufferNames = new Set(strings(KEYS.buffers));
  for (const name of bufferNames) {
    if (!tensors.has(name)) fail(`metadata "${KEYS.buffers}" names "${name}", which is not a tensor in the file`);
  }
  const parameters = new Map<string, Float32Tensor>();
  const buffers = new Map<string, Float32Tensor>();
  for (const [name, tensor] of tensors) {
    if (tensor.dtype !== 'F32') fail(`tensor "${name}" is ${tensor.dtype}; msse models store F32 only`);
    (bufferNames.has(name) ? buffers : parameters).set(name, { shape: tensor.shape, data: tensor.data as Float32Array });
  }
  return {
    file,
    parameters,
    buffers,
    config: object(KEYS.config),
    labels: strings(KEYS.labels),
    frontEnd: object(KEYS.frontEnd),
    provenance: object(KEYS.provenance),
  };
}

/**
 * Checks that a model was trained on the features this run computes: every setting equal (compared as JSON),
 * none missing or extra on either side. Features from other settings would give confident wrong answers.
 * @throws FormatError naming the model file and every differing setting, e.g.
 *   `model is for another front end: lengthSamples is 44100 in the model but 96000 here`
 */
export function expectFrontEnd(model: LoadedModel, expected: object): void {
  const settings = (value: object): Map<string, string> =>
    new Map(Object.entries(value).map(([key, item]) => [key, JSON.stringify(item)]));
  const ours = settings(model.frontEnd);
  const wanted = settings(expected);
  const differences: string[] = [];
  for (const key of new Set([...wanted.keys(), ...ours.keys()])) {
    const inModel = ours.get(key);
    const here = wanted.get(key);
    if (inModel === here) continue;
    differences.push(`${key} is ${inModel ?? 'missing'} in the model but ${here ?? 'absent'} here`);
  }
  if (differences.length > 0) {
    throw new FormatError(`model is for another front end: ${differences.join('; ')}`, { file: model.file });
  }
}
