import { describe, expect, test } from 'vitest';
import { ProtoWriter } from '../../../src/io/onnx/protobuf.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1 ');

describe('ProtoWriter: bytes computed by hand from the protobuf encoding spec', () => {
  test.each([
    { value: 0, bytes: '08 00' },
    { value: 1, bytes: '08 01' },
    { value: 127, bytes: '08 7f' },
    { value: 128, bytes: '08 80 01' },
    { value: 300, bytes: '08 ac 02' },
    { value: 2 ** 31, bytes: '08 80 80 80 80 08' },
    { value: 2 ** 53 - 1, bytes: '08 ff ff ff ff ff ff ff 0f' },
    { value: 2n ** 63n - 1n, bytes: '08 ff ff ff ff ff ff ff ff 7f' },
    { value: 2n ** 64n - 1n, bytes: '08 ff ff ff ff ff ff ff ff ff 01' },
    // Negative int64: the 64-bit two's complement, always 10 bytes.
    { value: -1, bytes: '08 ff ff ff ff ff ff ff ff ff 01' },
    { value: -2, bytes: '08 fe ff ff ff ff ff ff ff ff 01' },
    { value: -(2n ** 63n), bytes: '08 80 80 80 80 80 80 80 80 80 01' },
  ])('varint field 1 = $value', ({ value, bytes }) => {
    expect(hex(new ProtoWriter().int64(1, value).finish())).toBe(bytes);
  });

  test('tags: field 20 needs a two-byte tag (20 << 3 = 0xa0)', () => {
    expect(hex(new ProtoWriter().int64(20, 7).finish())).toBe('a0 01 07');
  });

  test('a string is length-delimited UTF-8 (field 2 "testing"; "é" is two bytes)', () => {
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('12 07 74 65 73 74 69 6e 67');
    expect(hex(new ProtoWriter().string(1, 'é').string(1, '').finish())).toBe('0a 02 c3 a9 0a 00');
  });

  test('a nested message is its bytes, length-delimited (field 3 { field 1 = 150 })', () => {
    expect(hex(new ProtoWriter().message(3, (m) => m.int64(1, 150)).finish())).toBe('1a 03 08 96 01');
  });

  test('packed floats: float32 little-endian, untagged, one length (1.0, -2.5)', () => {
    expect(hex(new ProtoWriter().packedFloats(4, [1, -2.5]).finish())).toBe('22 08 00 00 80 3f 00 00 20 c0');
  });

  test('packed int64s: the varints back to back (3, 270, 86942, -1)', () => {
    expect(hex(new ProtoWriter().packedInt64s(4, [3, 270, 86942, -1]).finish())).toBe('22 10 03 8e 02 9e a7 05 ff ff ff ff ff ff ff ff ff 01');
  });

  test('fields keep the order they were written in, across buffer growth', () => {
    const w = new ProtoWriter();
    for (let i = 0; i < 200; i++) w.int64(1, 128);
    const bytes = w.finish();
    expect(bytes.length).toBe(600);
    expect(hex(bytes.subarray(597))).toBe('08 80 01');
  });

  test.each([
    {
      name: 'an unsafe number',
      write: (w: ProtoWriter) => w.int64(1, 2 ** 53),
      message: 'protobuf: 9007199254740992 is not a safe integer; pass a bigint',
    },
    { name: 'a fraction', write: (w: ProtoWriter) => w.int64(1, 0.5), message: 'protobuf: 0.5 is not a safe integer; pass a bigint' },
    { name: 'past 64 bits', write: (w: ProtoWriter) => w.int64(1, 2n ** 64n), message: 'protobuf: 18446744073709551616 is outside the 64-bit range' },
    { name: 'field 0', write: (w: ProtoWriter) => w.int64(0, 1), message: 'protobuf: field number 0 out of range' },
  ])('$name is a RangeError', ({ write, message }) => {
    expect(() => write(new ProtoWriter())).toThrowError(new RangeError(message));
  });
});
