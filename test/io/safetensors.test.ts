import { describe, expect, test } from 'vitest';
import { FormatError, InternalError } from '../../src/errors.ts';
import { decodeSafetensors, encodeSafetensors, type NamedSafetensorsTensor } from '../../src/io/safetensors.ts';
import { mulberry32 } from '../support/prng.ts';
import { thrown } from '../support/thrown.ts';

/** A file from raw parts: the u64 header length (of `header` unless `declaredLength` is given), header, data. */
function file(header: string | Uint8Array, data: number | Uint8Array = 0, declaredLength?: bigint): Uint8Array {
  const headerBytes = typeof header === 'string' ? new TextEncoder().encode(header) : header;
  const dataBytes = typeof data === 'number' ? new Uint8Array(data) : data;
  const bytes = new Uint8Array(8 + headerBytes.length + dataBytes.length);
  new DataView(bytes.buffer).setBigUint64(0, declaredLength ?? BigInt(headerBytes.length), true);
  bytes.set(headerBytes, 8);
  bytes.set(dataBytes, 8 + headerBytes.length);
  return bytes;
}

describe('encodeSafetensors / decodeSafetensors', () => {
  test('round trip: every dtype, scalar and empty shapes, special floats bit for bit, unicode metadata', () => {
    const tensors: NamedSafetensorsTensor[] = [
      { name: 'weights', dtype: 'F32', shape: [2, 3], data: Float32Array.of(1.5, -0, NaN, Infinity, -Infinity, 1e-45) },
      { name: 'counts', dtype: 'I32', shape: [4], data: Int32Array.of(-2147483648, -1, 0, 2147483647) },
      { name: 'scale', dtype: 'F64', shape: [], data: Float64Array.of(Math.PI) },
      { name: 'none', dtype: 'F32', shape: [0, 5], data: new Float32Array(0) },
      { name: '__proto__', dtype: 'F64', shape: [1, 1, 2], data: Float64Array.of(Number.MIN_VALUE, -Number.MAX_VALUE) },
    ];
    const metadata = { format: 'test', note: 'Ärger, 怒り', json: '{"a":[1,2]}' };
    const bytes = encodeSafetensors(tensors, metadata);
    expect(bytes.length % 8).toBe(0); // header padded to 8, then 24 + 16 + 8 + 0 + 16 data bytes
    const decoded = decodeSafetensors(bytes, 'round.safetensors');
    expect(decoded.metadata).toEqual(metadata);
    expect([...decoded.tensors.keys()]).toEqual(['__proto__', 'counts', 'none', 'scale', 'weights']);
    for (const tensor of tensors) {
      const got = decoded.tensors.get(tensor.name)!;
      expect(got.dtype, tensor.name).toBe(tensor.dtype);
      expect(got.shape, tensor.name).toEqual(tensor.shape);
      expect(got.data.constructor, tensor.name).toBe(tensor.data.constructor);
      const bits = (data: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }) =>
        [...new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
      expect(bits(got.data), tensor.name).toEqual(bits(tensor.data));
    }
  });

  test('no metadata: no __metadata__ key is written, and {} is read back', () => {
    const bytes = encodeSafetensors([{ name: 'x', dtype: 'I32', shape: [1], data: Int32Array.of(5) }], {});
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))).toBe(
      '{"x":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}' + ' '.repeat(2),
    );
    expect(decodeSafetensors(bytes, 'x').metadata).toEqual({});
  });

  test('exact bytes of a tiny file: hand-computed header, name order, space padding, little-endian data', () => {
    const bytes = encodeSafetensors(
      [
        { name: 'b', dtype: 'F32', shape: [2], data: Float32Array.of(1, -2) },
        { name: 'a', dtype: 'I32', shape: [1], data: Int32Array.of(7) },
      ],
      { k: 'v' },
    );
    // 133 bytes of JSON (26 for the metadata, 53 for "a", 54 for "b"), padded with 3 spaces to 136 = 0x88.
    const header =
      '{"__metadata__":{"k":"v"},' +
      '"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]},' +
      '"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}' +
      '   ';
    const expected = [
      ...[0x88, 0, 0, 0, 0, 0, 0, 0],
      ...[...header].map((c) => c.charCodeAt(0)),
      ...[0x07, 0x00, 0x00, 0x00], // a = 7 (int32)
      ...[0x00, 0x00, 0x80, 0x3f], // b[0] = 1.0 (float32 0x3f800000)
      ...[0x00, 0x00, 0x00, 0xc0], // b[1] = -2.0 (float32 0xc0000000)
    ];
    expect(header.length).toBe(136);
    expect([...bytes]).toEqual(expected);
  });

  test('a file written in another tensor order (as Python safetensors does: by dtype, then name) decodes', () => {
    const header = '{"z":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}';
    const data = new Uint8Array(12);
    new DataView(data.buffer).setFloat64(0, 0.25, true);
    new DataView(data.buffer).setFloat32(8, 3, true);
    const decoded = decodeSafetensors(file(header, data), 'py.safetensors');
    expect([...decoded.tensors.keys()]).toEqual(['z', 'a']);
    expect(decoded.tensors.get('z')!.data).toEqual(Float64Array.of(0.25));
    expect(decoded.tensors.get('a')!.data).toEqual(Float32Array.of(3));
  });

  test('encoding rejects inconsistent tensors as bugs (InternalError)', () => {
    const x = { name: 'x', dtype: 'F32', shape: [2], data: Float32Array.of(1, 2) } as const;
    expect(() => encodeSafetensors([x, x], {})).toThrowError(new InternalError('safetensors: tensor "x": name used twice or reserved'));
    expect(() => encodeSafetensors([{ ...x, shape: [3] }], {})).toThrowError(
      new InternalError('safetensors: tensor "x" has 2 elements for shape (3)'),
    );
    expect(() => encodeSafetensors([{ ...x, dtype: 'I32', data: Float32Array.of(1, 2) } as never], {})).toThrowError(
      new InternalError('safetensors: tensor "x" is I32 but its data is not a Int32Array'),
    );
  });
});

const spec = 'expected {dtype, shape, data_offsets}';
const entry = (name: string, body: string) => `{"${name}":${body}}`;
const f32 = (shape: string, offsets: string) => `{"dtype":"F32","shape":${shape},"data_offsets":${offsets}}`;

const malformed: { name: string; bytes: Uint8Array; message: string }[] = [
  { name: 'empty file', bytes: new Uint8Array(0), message: 'too short for a safetensors file: 0 bytes; expected at least 8 (the header length)' },
  { name: '7 bytes', bytes: new Uint8Array(7), message: 'too short for a safetensors file: 7 bytes; expected at least 8 (the header length)' },
  {
    name: 'a text file',
    bytes: new TextEncoder().encode('this is not a model'),
    message: "header length 2338328219631577204 bytes is over safetensors' limit of 100000000; not a safetensors file",
  },
  {
    name: 'header length 2^64 - 1',
    bytes: file('{}', 0, 2n ** 64n - 1n),
    message: "header length 18446744073709551615 bytes is over safetensors' limit of 100000000; not a safetensors file",
  },
  {
    name: 'header length past the end',
    bytes: file('{}', 0, 100n),
    message: 'header length 100 bytes runs past the end of the file (2 bytes follow the length field); truncated or not a safetensors file',
  },
  { name: 'empty header', bytes: file(''), message: 'header (0 bytes) is not valid UTF-8 JSON; not a safetensors file' },
  { name: 'header cut JSON', bytes: file('{"a":'), message: 'header (5 bytes) is not valid UTF-8 JSON; not a safetensors file' },
  { name: 'header not UTF-8', bytes: file(Uint8Array.of(0x22, 0xff, 0x22)), message: 'header (3 bytes) is not valid UTF-8 JSON; not a safetensors file' },
  { name: 'header an array', bytes: file('[]'), message: 'header is a JSON array; expected an object of tensor entries' },
  { name: 'header null', bytes: file('null'), message: 'header is a JSON null; expected an object of tensor entries' },
  { name: 'header a number', bytes: file('8    '), message: 'header is a JSON number; expected an object of tensor entries' },
  { name: 'metadata an array', bytes: file('{"__metadata__":["a"]}'), message: '__metadata__ is a JSON array; expected an object of strings' },
  {
    name: 'metadata value a number',
    bytes: file('{"__metadata__":{"ok":"1","epochs":300}}'),
    message: '__metadata__ "epochs" is a JSON number; metadata values must be strings',
  },
  {
    name: 'metadata value an object',
    bytes: file('{"__metadata__":{"config":{"feat":39}}}'),
    message: '__metadata__ "config" is a JSON object; metadata values must be strings',
  },
  { name: 'entry a number', bytes: file(entry('w', '3')), message: `tensor "w": entry is a JSON number; ${spec}` },
  { name: 'entry an array', bytes: file(entry('w', '[]')), message: `tensor "w": entry is a JSON array; ${spec}` },
  { name: 'missing dtype', bytes: file(entry('w', '{"shape":[1],"data_offsets":[0,4]}'), 4), message: `tensor "w": missing "dtype"; ${spec}` },
  { name: 'missing shape', bytes: file(entry('w', '{"dtype":"F32","data_offsets":[0,4]}'), 4), message: `tensor "w": missing "shape"; ${spec}` },
  { name: 'missing data_offsets', bytes: file(entry('w', '{"dtype":"F32","shape":[1]}'), 4), message: `tensor "w": missing "data_offsets"; ${spec}` },
  {
    name: 'dtype F16',
    bytes: file(entry('w', '{"dtype":"F16","shape":[2],"data_offsets":[0,4]}'), 4),
    message: 'tensor "w": unsupported dtype "F16"; expected "F32", "I32" or "F64"',
  },
  {
    name: 'dtype lower case',
    bytes: file(entry('w', '{"dtype":"f32","shape":[1],"data_offsets":[0,4]}'), 4),
    message: 'tensor "w": unsupported dtype "f32"; expected "F32", "I32" or "F64"',
  },
  {
    name: 'dtype a number',
    bytes: file(entry('w', '{"dtype":4,"shape":[1],"data_offsets":[0,4]}'), 4),
    message: 'tensor "w": unsupported dtype 4; expected "F32", "I32" or "F64"',
  },
  {
    name: 'dtype named like an Object method',
    bytes: file(entry('w', '{"dtype":"toString","shape":[1],"data_offsets":[0,4]}'), 4),
    message: 'tensor "w": unsupported dtype "toString"; expected "F32", "I32" or "F64"',
  },
  { name: 'negative dimension', bytes: file(entry('w', f32('[-1]', '[0,4]')), 4), message: 'tensor "w": shape [-1] is not a list of non-negative integers' },
  { name: 'fractional dimension', bytes: file(entry('w', f32('[1.5]', '[0,4]')), 4), message: 'tensor "w": shape [1.5] is not a list of non-negative integers' },
  { name: 'shape a string', bytes: file(entry('w', f32('"2x3"', '[0,24]')), 24), message: 'tensor "w": shape "2x3" is not a list of non-negative integers' },
  {
    name: 'offsets reversed',
    bytes: file(entry('w', f32('[1]', '[4,0]')), 4),
    message: 'tensor "w": data_offsets [4,0] are not [begin, end] with 0 <= begin <= end',
  },
  {
    name: 'offsets one number',
    bytes: file(entry('w', f32('[1]', '[4]')), 4),
    message: 'tensor "w": data_offsets [4] are not [begin, end] with 0 <= begin <= end',
  },
  {
    name: 'offsets negative',
    bytes: file(entry('w', f32('[1]', '[-4,0]')), 4),
    message: 'tensor "w": data_offsets [-4,0] are not [begin, end] with 0 <= begin <= end',
  },
  {
    name: 'shape and offsets disagree',
    bytes: file(entry('w', f32('[2,3]', '[0,20]')), 20),
    message: 'tensor "w": shape (2, 3) of F32 needs 24 bytes but data_offsets [0, 20] span 20',
  },
  {
    name: 'F64 sized as F32',
    bytes: file(entry('w', '{"dtype":"F64","shape":[2],"data_offsets":[0,8]}'), 8),
    message: 'tensor "w": shape (2) of F64 needs 16 bytes but data_offsets [0, 8] span 8',
  },
  {
    name: 'gap at the start',
    bytes: file(entry('w', f32('[1]', '[4,8]')), 8),
    message: 'data bytes [0, 4) belong to no tensor (a gap before tensor "w")',
  },
  {
    name: 'gap between tensors',
    bytes: file(`{"a":${f32('[1]', '[0,4]')},"b":${f32('[1]', '[8,12]')}}`, 12),
    message: 'data bytes [4, 8) belong to no tensor (a gap before tensor "b")',
  },
  {
    name: 'overlapping tensors',
    bytes: file(`{"a":${f32('[2]', '[0,8]')},"b":${f32('[1]', '[4,8]')}}`, 8),
    message: 'tensor "b" at data_offsets [4, 8] overlaps tensor "a", which ends at 8',
  },
  {
    name: 'the same bytes twice',
    bytes: file(`{"a":${f32('[1]', '[0,4]')},"b":${f32('[1]', '[0,4]')}}`, 4),
    message: 'tensor "b" at data_offsets [0, 4] overlaps tensor "a", which ends at 4',
  },
  {
    name: 'data shorter than declared',
    bytes: file(entry('w', f32('[4]', '[0,16]')), 10),
    message: 'truncated: the tensors need 16 data bytes but 10 follow the header',
  },
  {
    name: 'no data at all',
    bytes: file(entry('w', f32('[1]', '[0,4]'))),
    message: 'truncated: the tensors need 4 data bytes but 0 follow the header',
  },
  {
    name: 'bytes after the last tensor',
    bytes: file(entry('w', f32('[1]', '[0,4]')), 9),
    message: 'data bytes [4, 9) after the last tensor belong to no tensor',
  },
  { name: 'no tensors but data', bytes: file('{}', 3), message: 'data bytes [0, 3) after the last tensor belong to no tensor' },
];

describe('decodeSafetensors rejects malformed files with one line naming the file', () => {
  test.each(malformed)('$name', ({ bytes, message }) => {
    const error = thrown(FormatError, () => decodeSafetensors(bytes, 'case.safetensors'));
    expect(error.message).toBe(message);
    expect(error.line).toBe(`case.safetensors: ${message}`);
  });

  test('well-formed edge cases decode: no tensors, only empty tensors, header not padded', () => {
    expect(decodeSafetensors(file('{}'), 'x').tensors.size).toBe(0);
    const empties = decodeSafetensors(file(`{"a":${f32('[0]', '[0,0]')},"b":${f32('[3,0]', '[0,0]')}}`), 'x');
    expect([...empties.tensors.values()].map((t) => t.shape)).toEqual([[0], [3, 0]]);
    expect(decodeSafetensors(file(entry('w', f32('[1]', '[0,4]')), 4), 'x').tensors.get('w')!.data).toEqual(Float32Array.of(0));
  });

  test('a JSON parse failure keeps the parser error as the cause', () => {
    expect(thrown(FormatError, () => decodeSafetensors(file('{"a":'), 'x')).cause).toBeInstanceOf(SyntaxError);
  });
});

describe('fuzz', () => {
  /** A random small file: 0–4 tensors of random dtypes and shapes (some empty), random values, some metadata. */
  function randomFile(random: () => number): { tensors: NamedSafetensorsTensor[]; metadata: Record<string, string> } {
    const below = (n: number): number => Math.floor(random() * n);
    const tensors: NamedSafetensorsTensor[] = [];
    for (let i = below(5); i > 0; i--) {
      const shape = Array.from({ length: below(3) }, () => below(4));
      const n = shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: n }, () => below(2000) - 1000);
      const name = `t${tensors.length}.${below(100)}`;
      const kind = below(3);
      tensors.push(
        kind === 0
          ? { name, dtype: 'F32', shape, data: Float32Array.from(values, (v) => v / 8) }
          : kind === 1
            ? { name, dtype: 'I32', shape, data: Int32Array.from(values) }
            : { name, dtype: 'F64', shape, data: Float64Array.from(values, (v) => v / 3) },
      );
    }
    return { tensors, metadata: below(2) === 0 ? {} : { seed: String(below(1000)), labels: '["a","b"]' } };
  }

  test('every prefix of 40 random small files is a FormatError saying where it was cut; the whole file decodes', () => {
    const random = mulberry32(20240611);
    let prefixes = 0;
    for (let round = 0; round < 40; round++) {
      const { tensors, metadata } = randomFile(random);
      const bytes = encodeSafetensors(tensors, metadata);
      const dataStart = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));
      for (let length = 0; length < bytes.length; length++, prefixes++) {
        const error = thrown(FormatError, () => decodeSafetensors(bytes.subarray(0, length), 'cut.safetensors'));
        const expected =
          length < 8
            ? `too short for a safetensors file: ${length} bytes; expected at least 8 (the header length)`
            : length < dataStart
              ? `header length ${dataStart - 8} bytes runs past the end of the file (${length - 8} bytes follow the length field); ` +
                'truncated or not a safetensors file'
              : `truncated: the tensors need ${bytes.length - dataStart} data bytes but ${length - dataStart} follow the header`;
        expect(error.line, `round ${round}, ${length} of ${bytes.length} bytes`).toBe(`cut.safetensors: ${expected}`);
      }
      const decoded = decodeSafetensors(bytes, 'whole.safetensors');
      expect(decoded.metadata).toEqual(metadata);
      for (const { name, ...tensor } of tensors) expect(decoded.tensors.get(name), `round ${round}`).toEqual(tensor);
    }
    expect(prefixes).toBeGreaterThan(5000);
  });

  test('3000 random header byte changes either decode or throw a one-line FormatError, never anything else', () => {
    const random = mulberry32(46);
    const below = (n: number): number => Math.floor(random() * n);
    const outcomes = { decoded: 0, rejected: 0 };
    for (let round = 0; round < 3000; round++) {
      const { tensors, metadata } = randomFile(random);
      const bytes = encodeSafetensors(tensors, metadata);
      const dataStart = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));
      // Digits, brackets, quotes and letters that make the JSON still parse but say something else, or random bytes.
      const alphabet = '0123456789[]{}",:- FIabe';
      for (let steps = 1 + below(3); steps > 0; steps--) {
        const at = below(dataStart);
        bytes[at] = below(2) === 0 ? below(256) : alphabet.charCodeAt(below(alphabet.length));
      }
      try {
        decodeSafetensors(bytes, 'fuzz.safetensors');
        outcomes.decoded++;
      } catch (error) {
        if (!(error instanceof FormatError)) throw new Error(`round ${round}: ${String(error)}`, { cause: error });
        expect(error.file).toBe('fuzz.safetensors');
        expect(error.message, `round ${round}`).not.toContain('\n');
        outcomes.rejected++;
      }
    }
    // Both paths must be exercised, or the changes are too weak (or too strong) to test anything.
    expect(outcomes.decoded).toBeGreaterThan(50);
    expect(outcomes.rejected).toBeGreaterThan(2000);
  });
});
