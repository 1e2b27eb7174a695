/**
 * A protocol-buffers encoder, just enough for ONNX files (onnx.ts): varints, 64-bit-safe integers, length-delimited
 * strings, bytes and nested messages, packed float32 and int64 arrays. Writing only; no schema, no reflection.
 *
 * Wire format (protobuf "Encoding" spec): a field is a tag varint `(field << 3) | wireType` followed by its value.
 *   wire type 0  varint: 7 bits per byte, least significant group first, high bit set on every byte but the last;
 *                int64 values are their 64-bit two's complement, so a negative one always takes 10 bytes
 *   wire type 2  length-delimited: a varint byte count, then the bytes (strings as UTF-8, nested messages, packed
 *                repeated scalars)
 *   wire type 5  32-bit little-endian (float); inside a packed float array the elements have no tags
 * Fields are written in the order the caller gives; readers accept any order.
 */

/** Protobuf wire types (the low 3 bits of a tag). */
const WIRE = { varint: 0, lengthDelimited: 2 } as const;

const utf8 = new TextEncoder();

/** A growable byte buffer that writes protobuf fields. `finish()` returns the encoded message. */
export class ProtoWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  /**
   * A varint field (int32, int64, uint64, enum, bool). Integers up to 2^53 as numbers; a bigint for the rest of the
   * int64 range. Negative values are written as their 64-bit two's complement (10 bytes), as int64 requires.
   */
  int64(field: number, value: number | bigint): this {
    this.tag(field, WIRE.varint);
    this.varint(value);
    return this;
  }

  /** A string field, UTF-8 encoded. */
  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** A bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE.lengthDelimited);
    this.varint(value.length);
    this.append(value);
    return this;
  }

  /** A nested message field: `write` fills a fresh writer, whose bytes go in length-delimited. */
  message(field: number, write: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  /** A packed repeated float field: the float32 values, little-endian, 4 bytes each, in one length-delimited run. */
  packedFloats(field: number, values: ArrayLike<number>): this {
    const bytes = new Uint8Array(4 * values.length);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i]!, true);
    return this.bytes(field, bytes);
  }

  /** A packed repeated int64 field: the values' varints, untagged, in one length-delimited run. */
  packedInt64s(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  /** The bytes written so far (a copy the writer no longer touches). */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private tag(field: number, wireType: number): void {
    if (!Number.isInteger(field) || field < 1 || field > 0x1fffffff) throw new RangeError(`protobuf: field number ${field} out of range`);
    this.varint(field * 8 + wireType);
  }

  /** Base-128 varint of a value in the int64 or uint64 range, as its 64-bit pattern. */
  private varint(value: number | bigint): void {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`protobuf: ${value} is not a safe integer; pass a bigint`);
    const big = BigInt(value);
    if (big < -(1n << 63n) || big >= 1n << 64n) throw new RangeError(`protobuf: ${value} is outside the 64-bit range`);
    let bits = BigInt.asUintN(64, big);
    this.reserve(10);
    while (bits >= 0x80n) {
      this.buffer[this.length++] = Number(bits & 0x7fn) | 0x80;
      bits >>= 7n;
    }
    this.buffer[this.length++] = Number(bits);
  }

  private append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(2 * this.buffer.length, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
