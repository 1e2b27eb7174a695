/**
 * The safetensors container (https://github.com/huggingface/safetensors, "Format"), pure: bytes in, bytes out.
 *
 *   bytes 0..8          N, the header length in bytes, unsigned 64-bit little-endian
 *   bytes 8..8+N        UTF-8 JSON: {"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets"}, …},
 *                       padded with spaces so that the data starts at a multiple of 8
 *   bytes 8+N..end      the data: each tensor's elements little-endian in C order, at data_offsets [begin, end)
 *                       counted from the start of the data; the tensors tile the data with no gap and no overlap
 *
 * Python's `safetensors` reads what encodeSafetensors writes (the same rules it enforces: known dtype names,
 * shape × element size = offsets span, offsets contiguous and covering the whole data). decodeSafetensors checks
 * every one of them and throws a one-line FormatError naming the file, never a RangeError from a bad offset.
 */
import { FormatError, invariant } from '../errors.ts';
import { formatShape, numElements, type Shape } from '../runtime/tensor.ts';

/** The element types msse reads and writes, by their safetensors names. */
export type Dtype = 'F32' | 'I32' | 'F64';

interface ArrayOfDtype {
  F32: Float32Array;
  I32: Int32Array;
  F64: Float64Array;
}

/** One tensor: `data` holds the shape's elements in C order (last axis fastest), typed by `dtype`. */
export type SafetensorsTensor = {
  [D in Dtype]: { readonly dtype: D; readonly shape: Shape; readonly data: ArrayOfDtype[D] };
}[Dtype];

/** A tensor to encode, with its name in the header. */
export type NamedSafetensorsTensor = SafetensorsTensor & { readonly name: string };

/** What decodeSafetensors returns: tensors in file (offset) order, and the `__metadata__` map ({} when absent). */
export interface DecodedSafetensors {
  readonly tensors: Map<string, SafetensorsTensor>;
  readonly metadata: Record<string, string>;
}

/** How one dtype's elements are laid out; DataView reads and writes little-endian whatever the host's order. */
interface DtypeLayout<A> {
  readonly sizeBytes: number;
  readonly arrayType: { new (length: number): A; readonly name: string };
  read(view: DataView, atByte: number): number;
  write(view: DataView, atByte: number, value: number): void;
}

const LAYOUTS: { readonly [D in Dtype]: DtypeLayout<ArrayOfDtype[D]> } = {
  F32: {
    sizeBytes: 4,
    arrayType: Float32Array,
    read: (view, at) => view.getFloat32(at, true),
    write: (view, at, value) => view.setFloat32(at, value, true),
  },
  I32: {
    sizeBytes: 4,
    arrayType: Int32Array,
    read: (view, at) => view.getInt32(at, true),
    write: (view, at, value) => view.setInt32(at, value, true),
  },
  F64: {
    sizeBytes: 8,
    arrayType: Float64Array,
    read: (view, at) => view.getFloat64(at, true),
    write: (view, at, value) => view.setFloat64(at, value, true),
  },
};

const METADATA_KEY = '__metadata__';
/** Bytes of the header-length field. */
const LENGTH_FIELD_BYTES = 8;
/** The data starts at a multiple of this (safetensors pads its own header the same way, with spaces). */
const DATA_ALIGNMENT_BYTES = 8;
/** safetensors' MAX_HEADER_SIZE: a larger header length means the file is something else. */
const MAX_HEADER_BYTES = 100_000_000;

/**
 * Encodes tensors and string metadata as a safetensors file. Tensors are stored in name order (code-unit order),
 * contiguous from data offset 0; `__metadata__` is written only when `metadata` has keys.
 * Tensor names must be unique and not `__metadata__`; `data.length` must equal the shape's element count.
 */
export function encodeSafetensors(tensors: readonly NamedSafetensorsTensor[], metadata: Record<string, string>): Uint8Array {
  const sorted = [...tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // No prototype: a tensor may be called `__proto__` or `constructor` like any other.
  const header: Record<string, unknown> = Object.create(null);
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = metadata;
  let dataBytes = 0;
  for (const tensor of sorted) {
    const layout = LAYOUTS[tensor.dtype];
    const where = `safetensors: tensor "${tensor.name}"`;
    invariant(!Object.hasOwn(header, tensor.name) && tensor.name !== METADATA_KEY, `${where}: name used twice or reserved`);
    invariant(tensor.shape.every((d) => Number.isSafeInteger(d) && d >= 0), `${where}: shape ${JSON.stringify(tensor.shape)}`);
    invariant(tensor.data instanceof layout.arrayType, `${where} is ${tensor.dtype} but its data is not a ${layout.arrayType.name}`);
    invariant(
      tensor.data.length === numElements(tensor.shape),
      `${where} has ${tensor.data.length} elements for shape ${formatShape(tensor.shape)}`,
    );
    const sizeBytes = tensor.data.length * layout.sizeBytes;
    header[tensor.name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [dataBytes, dataBytes + sizeBytes] };
    dataBytes += sizeBytes;
  }

  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil(json.length / DATA_ALIGNMENT_BYTES) * DATA_ALIGNMENT_BYTES;
  const dataStart = LENGTH_FIELD_BYTES + headerBytes;
  const bytes = new Uint8Array(dataStart + dataBytes);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerBytes), true);
  bytes.set(json, LENGTH_FIELD_BYTES);
  bytes.fill(0x20, LENGTH_FIELD_BYTES + json.length, dataStart);
  let at = dataStart;
  for (const tensor of sorted) {
    const layout = LAYOUTS[tensor.dtype];
    for (let i = 0; i < tensor.data.length; i++, at += layout.sizeBytes) layout.write(view, at, tensor.data[i]!);
  }
  return bytes;
}

/** A header entry after its fields were checked: where its bytes lie in the data. */
interface TensorEntry {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: Shape;
  readonly begin: number;
  readonly end: number;
}

/**
 * Decodes a safetensors file, checking the header and the layout completely before reading any element.
 * @param file names the file in errors
 * @throws FormatError (with `file`) with one line saying what is wrong
 */
export function decodeSafetensors(bytes: Uint8Array, file: string): DecodedSafetensors {
  const fail: Fail = (message, cause) => {
    throw new FormatError(message, { file, cause });
  };
  if (bytes.length < LENGTH_FIELD_BYTES) {
    fail(`too short for a safetensors file: ${bytes.length} bytes; expected at least 8 (the header length)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declaredHeaderBytes = view.getBigUint64(0, true);
  if (declaredHeaderBytes > BigInt(MAX_HEADER_BYTES)) {
    fail(`header length ${declaredHeaderBytes} bytes is over safetensors' limit of ${MAX_HEADER_BYTES}; not a safetensors file`);
  }
  const headerBytes = Number(declaredHeaderBytes);
  const dataStart = LENGTH_FIELD_BYTES + headerBytes;
  if (dataStart > bytes.length) {
    fail(
      `header length ${headerBytes} bytes runs past the end of the file (${bytes.length - LENGTH_FIELD_BYTES} bytes follow ` +
        'the length field); truncated or not a safetensors file',
    );
  }

  const header = parseHeader(bytes.subarray(LENGTH_FIELD_BYTES, dataStart), fail);
  const metadata = checkMetadata(header[METADATA_KEY], fail);
  const entries = Object.entries(header)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, entry]) => checkEntry(name, entry, fail))
    .sort((a, b) => a.begin - b.begin || a.end - b.end);
  checkLayout(entries, bytes.length - dataStart, fail);

  const tensors = new Map<string, SafetensorsTensor>();
  for (const { name, dtype, shape, begin, end } of entries) {
    const layout: DtypeLayout<ArrayOfDtype[Dtype]> = LAYOUTS[dtype];
    const data = new layout.arrayType((end - begin) / layout.sizeBytes);
    for (let i = 0; i < data.length; i++) data[i] = layout.read(view, dataStart + begin + i * layout.sizeBytes);
    tensors.set(name, { dtype, shape, data } as SafetensorsTensor);
  }
  return { tensors, metadata };
}

/** Throws the FormatError for this file. */
type Fail = (message: string, cause?: unknown) => never;

/** `array`, `null`, `string`…: what a JSON value is, for messages. */
function jsonKind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return jsonKind(value) === 'object';
}

function parseHeader(headerBytes: Uint8Array, fail: Fail): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (cause) {
    return fail(`header (${headerBytes.length} bytes) is not valid UTF-8 JSON; not a safetensors file`, cause);
  }
  if (!isJsonObject(header)) fail(`header is a JSON ${jsonKind(header)}; expected an object of tensor entries`);
  return header as Record<string, unknown>;
}

function checkMetadata(value: unknown, fail: Fail): Record<string, string> {
  if (value === undefined) return {};
  if (!isJsonObject(value)) return fail(`${METADATA_KEY} is a JSON ${jsonKind(value)}; expected an object of strings`);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') fail(`${METADATA_KEY} "${key}" is a JSON ${jsonKind(item)}; metadata values must be strings`);
  }
  return value as Record<string, string>;
}

const ENTRY_FIELDS = ['dtype', 'shape', 'data_offsets'] as const;

function checkEntry(name: string, entry: unknown, fail: Fail): TensorEntry {
  const where = `tensor "${name}"`;
  if (!isJsonObject(entry)) return fail(`${where}: entry is a JSON ${jsonKind(entry)}; expected {dtype, shape, data_offsets}`);
  for (const field of ENTRY_FIELDS) {
    if (!Object.hasOwn(entry, field)) fail(`${where}: missing "${field}"; expected {dtype, shape, data_offsets}`);
  }
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string' || !Object.hasOwn(LAYOUTS, dtype)) {
    fail(`${where}: unsupported dtype ${JSON.stringify(dtype)}; expected "F32", "I32" or "F64"`);
  }
  const isCount = (d: unknown): d is number => Number.isSafeInteger(d) && (d as number) >= 0;
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    fail(`${where}: shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    fail(`${where}: data_offsets ${JSON.stringify(offsets)} are not [begin, end] with 0 <= begin <= end`);
  }
  const [begin, end] = offsets as [number, number];
  const neededBytes = numElements(shape as number[]) * LAYOUTS[dtype as Dtype].sizeBytes;
  if (neededBytes !== end - begin) {
    fail(
      `${where}: shape ${formatShape(shape as number[])} of ${dtype} needs ${neededBytes} bytes ` +
        `but data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, dtype: dtype as Dtype, shape: shape as number[], begin, end };
}

/** The tensors, sorted by offset, must tile bytes [0, dataBytes) of the data exactly. */
function checkLayout(entries: readonly TensorEntry[], dataBytes: number, fail: Fail): void {
  let covered = 0;
  let previous = '';
  for (const { name, begin, end } of entries) {
    if (begin > covered) fail(`data bytes [${covered}, ${begin}) belong to no tensor (a gap before tensor "${name}")`);
    if (begin < covered) {
      fail(`tensor "${name}" at data_offsets [${begin}, ${end}] overlaps tensor "${previous}", which ends at ${covered}`);
    }
    covered = end;
    previous = name;
  }
  if (covered > dataBytes) fail(`truncated: the tensors need ${covered} data bytes but ${dataBytes} follow the header`);
  if (covered < dataBytes) fail(`data bytes [${covered}, ${dataBytes}) after the last tensor belong to no tensor`);
}
