import { FixtureError } from '../errors.ts';
import { numElements, formatShape, type Shape } from '../runtime/tensor.ts';
import type { MsseConfig } from '../model/config.ts';

/** One tensor of a golden fixture, as stored: float32 (or int32 for `labels`), C order. */
export interface FixtureTensor {
  readonly name: string;
  readonly shape: Shape;
  /** param, buffer, input, label, output, activation, activation_grad, grad, bn_after_forward, step1. */
  readonly kind: string;
  readonly data: Float32Array | Int32Array;
}

/** A loaded fixture in the `msse-golden-v1` format (../shared/golden/README.md). */
export interface Fixture {
  readonly dir: string;
  readonly title: string;
  /** The model the fixture was made with, from the manifest's config. */
  readonly config: MsseConfig;
  /** Parameter names whose exact gradient is 0 (biases of convolutions followed by BatchNorm). */
  readonly analyticallyZeroGrad: ReadonlySet<string>;
  /** By name, in manifest order. */
  readonly tensors: ReadonlyMap<string, FixtureTensor>;
}

type Json = Record<string, unknown>;

/** Reads a file of a fixture by its path: bytes, or a rejection carrying the system's error code. */
export type FixtureReader = (path: string) => Promise<Uint8Array>;

/**
 * Reads DIR/manifest.json and every tensor file it lists through `read`; any missing or inconsistent piece is a
 * FixtureError.
 */
export async function loadFixture(dir: string, read: FixtureReader): Promise<Fixture> {
  const manifestPath = `${dir}/manifest.json`;
  let manifest: Json;
  try {
    manifest = JSON.parse(new TextDecoder().decode(await read(manifestPath))) as Json;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : error instanceof SyntaxError ? `not valid JSON (${error.message})` : String(error);
    throw new FixtureError(why, { file: manifestPath, cause: error });
  }
  const bad = (what: string): never => {
    throw new FixtureError(what, { file: manifestPath });
  };
  if (manifest.format !== 'msse-golden-v1') bad(`format is ${JSON.stringify(manifest.format)}, expected "msse-golden-v1"`);
  if (manifest.byte_order !== 'little-endian') bad(`byte_order is ${JSON.stringify(manifest.byte_order)}, expected "little-endian"`);
  if (!Array.isArray(manifest.tensors)) bad('"tensors" is not a list');
  const zero = manifest.analytically_zero_grad;
  if (!Array.isArray(zero) || !zero.every((n) => typeof n === 'string')) bad('"analytically_zero_grad" is not a list of names');

  const entries = (manifest.tensors as unknown[]).map((entry, i) => parseEntry(entry, i, bad));
  const tensors = new Map<string, FixtureTensor>();
  // One file at a time, in manifest order, so a damaged fixture always reports the same (first) bad file.
  for (const entry of entries) {
    if (tensors.has(entry.name)) bad(`tensor '${entry.name}' is listed twice`);
    tensors.set(entry.name, await readTensor(dir, entry, read));
  }
  return {
    dir,
    title: typeof manifest.title === 'string' ? manifest.title : dir,
    config: parseConfig(manifest.config, bad),
    analyticallyZeroGrad: new Set(zero as string[]),
    tensors,
  };
}

interface Entry {
  readonly name: string;
  readonly shape: Shape;
  readonly dtype: 'float32' | 'int32';
  readonly file: string;
  readonly kind: string;
}

function parseEntry(entry: unknown, i: number, bad: (what: string) => never): Entry {
  const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Json;
  const { name, shape, dtype, file, kind } = e;
  if (typeof name !== 'string' || name === '') bad(`tensors[${i}] has no name`);
  const label = `tensor '${name as string}'`;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) bad(`${label}: shape is not a list of sizes`);
  if (dtype !== 'float32' && dtype !== 'int32') bad(`${label}: dtype ${JSON.stringify(dtype)}, expected "float32" or "int32"`);
  if (typeof file !== 'string' || file === '' || file.includes('/') || file.includes('\\')) bad(`${label}: file must be a plain file name`);
  if (typeof kind !== 'string') bad(`${label}: kind is missing`);
  return { name: name as string, shape: shape as number[], dtype: dtype as Entry['dtype'], file: file as string, kind: kind as string };
}

async function readTensor(dir: string, entry: Entry, read: FixtureReader): Promise<FixtureTensor> {
  const path = `${dir}/${entry.file}`;
  let bytes: Uint8Array;
  try {
    bytes = await read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `missing (tensor '${entry.name}' in manifest.json)` : String(error);
    throw new FixtureError(why, { file: path, cause: error });
  }
  const expected = numElements(entry.shape) * 4;
  if (bytes.length !== expected) {
    throw new FixtureError(`${bytes.length} bytes, expected ${expected} (${entry.dtype} ${formatShape(entry.shape)})`, { file: path });
  }
  // Copy into an aligned buffer, then read little-endian explicitly (DataView), whatever the host's byte order.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = numElements(entry.shape);
  const data = entry.dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = entry.dtype === 'int32' ? view.getInt32(4 * i, true) : view.getFloat32(4 * i, true);
  return { name: entry.name, shape: entry.shape, kind: entry.kind, data };
}

/** The model config from the manifest's `config`; dilations must be 1, 2, 4, … as the model builds them. */
function parseConfig(raw: unknown, bad: (what: string) => never): MsseConfig {
  const c = (typeof raw === 'object' && raw !== null ? raw : bad('"config" is missing')) as Json;
  const at = (path: string): unknown => path.split('.').reduce<unknown>((o, key) => (o as Json | undefined)?.[key], c);
  const num = (path: string, integer = false): number => {
    const v = at(path);
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) bad(`config.${path} is not ${integer ? 'an integer' : 'a number'}`);
    return v as number;
  };
  const tfKernels = at('tf_kernels');
  if (!Array.isArray(tfKernels) || !tfKernels.every((k) => Array.isArray(k) && k.length === 2 && k.every((d) => Number.isInteger(d) && d >= 1))) {
    bad('config.tf_kernels is not a list of [kh, kw]');
  }
  const n = num('n_dilations', true);
  const dilations = at('dilations');
  if (!Array.isArray(dilations) || dilations.length !== n || dilations.some((d, j) => d !== 2 ** j)) {
    bad(`config.dilations is ${JSON.stringify(dilations)}, expected [1, 2, …, 2^${n - 1}]`);
  }
  return {
    feat: num('feat', true),
    filters: num('filters', true),
    numClasses: num('num_classes', true),
    numDilations: n,
    tfKernels: tfKernels as [number, number][],
    tabKernel: num('tab_kernel', true),
    dropout2d: num('dropout.spatial2d'),
    dropout1d: num('dropout.spatial1d'),
    bnEps: num('batchnorm.eps'),
    bnMomentum: num('batchnorm.keras_momentum'),
    labelSmoothing: num('loss.label_smoothing'),
    adam: { lr: num('adam.lr'), beta1: num('adam.beta1'), beta2: num('adam.beta2'), eps: num('adam.eps') },
  };
}
