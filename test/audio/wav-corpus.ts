/**
 * Builds WAV files in memory for the decoder's tests, so every variant and every defect is a few options and
 * no binary fixture is committed. Sample values are given as stored: integer codes for PCM (unsigned 0..255 for
 * 8-bit), numbers for IEEE float.
 */

/** A chunk in file order: the fmt or data chunk that `buildWav` derives from its spec, or any other chunk. */
export type ChunkSpec = 'fmt' | 'data' | RawChunk;

/** A chunk written as given; `declaredBytes` replaces the size field (and then no pad byte is added). */
export interface RawChunk {
  id: string;
  body: Uint8Array | readonly number[];
  declaredBytes?: number;
}

export interface WavSpec {
  format: 'PCM' | 'float';
  /** Container bits per sample (bitsPerSample of the fmt chunk). */
  bits: number;
  channels?: number; // default 1
  rateHz?: number; // default 8000
  /** Interleaved stored values (frame-major). */
  samples: readonly number[];
  /** Writes a 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk with the format as its sub-format. */
  extensible?: boolean;
  /** wValidBitsPerSample of an extensible fmt chunk; default `bits`. */
  validBits?: number;
  /** Written instead of the format's tag (PCM 1, float 3); the sub-format tag when extensible. */
  formatTag?: number;
  /** Bytes 2..15 of the extensible sub-format GUID; default the standard ...-0000-0010-8000-00aa00389b71. */
  guidTail?: readonly number[];
  /** blockAlign field; default channels * bits / 8 rounded up. */
  blockAlignBytes?: number;
  /** fmt chunk size: 16 (default) or 18+ with a cbSize field; less than the default cuts the chunk short. */
  fmtBytes?: number;
  /** The data chunk's body instead of the encoded samples. */
  dataBody?: Uint8Array;
  /** data chunk size field; default its real length. */
  declaredDataBytes?: number;
  /** Chunks in file order; default ['fmt', 'data']. Leave one out to build a file without it. */
  chunks?: readonly ChunkSpec[];
  /** RIFF size field; default the real file length - 8. */
  riffSizeBytes?: number;
}

const STANDARD_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** A complete WAV file for `spec`. */
export function buildWav(spec: WavSpec): Uint8Array {
  const data: RawChunk = { id: 'data', body: spec.dataBody ?? encodeSamples(spec.format, spec.bits, spec.samples) };
  if (spec.declaredDataBytes !== undefined) data.declaredBytes = spec.declaredDataBytes;
  const chunks = (spec.chunks ?? ['fmt', 'data']).map((chunk) =>
    chunk === 'fmt' ? { id: 'fmt ', body: fmtBody(spec) } : chunk === 'data' ? data : chunk,
  );
  return riff(chunks, spec.riffSizeBytes);
}

/** "RIFF", size, "WAVE", then each chunk with its header and, after an odd body, a pad byte. */
export function riff(chunks: readonly RawChunk[], riffSizeBytes?: number): Uint8Array {
  const parts = chunks.map((chunk) => {
    const pad = chunk.declaredBytes === undefined && chunk.body.length % 2 === 1 ? [0] : [];
    return bytesOf(chunk.id, u32(chunk.declaredBytes ?? chunk.body.length), chunk.body, pad);
  });
  const body = bytesOf('WAVE', ...parts);
  return bytesOf('RIFF', u32(riffSizeBytes ?? body.length), body);
}

/** Concatenates parts: strings as Latin-1 bytes, arrays as bytes. */
export function bytesOf(...parts: readonly (string | Uint8Array | readonly number[])[]): Uint8Array {
  const arrays = parts.map((part) => (typeof part === 'string' ? Uint8Array.from(part, (c) => c.charCodeAt(0)) : Uint8Array.from(part)));
  const out = new Uint8Array(arrays.reduce((sum, array) => sum + array.length, 0));
  let at = 0;
  for (const array of arrays) {
    out.set(array, at);
    at += array.length;
  }
  return out;
}

/** A little-endian uint32. */
export function u32(value: number): Uint8Array {
  return littleEndian(value, 4);
}

/** A little-endian uint16. */
export function u16(value: number): Uint8Array {
  return littleEndian(value, 2);
}

/**
 * Stored values as bytes: float 32/64 as IEEE floats, anything else as little-endian two's-complement integers
 * of ceil(bits / 8) bytes (so unsupported depths such as PCM 12 or float 16 can be written too).
 */
export function encodeSamples(format: 'PCM' | 'float', bits: number, values: readonly number[]): Uint8Array {
  const width = Math.ceil(bits / 8);
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  values.forEach((value, i) => {
    if (format === 'float' && bits === 32) view.setFloat32(i * width, value, true);
    else if (format === 'float' && bits === 64) view.setFloat64(i * width, value, true);
    else out.set(littleEndian(value, width), i * width);
  });
  return out;
}

function fmtBody(spec: WavSpec): Uint8Array {
  const channels = spec.channels ?? 1;
  const rateHz = spec.rateHz ?? 8000;
  const blockAlign = spec.blockAlignBytes ?? channels * Math.ceil(spec.bits / 8);
  const tag = spec.formatTag ?? (spec.format === 'PCM' ? 1 : 3);
  const size = spec.fmtBytes ?? (spec.extensible ? 40 : 16);
  const body = new Uint8Array(Math.max(size, 40));
  const view = new DataView(body.buffer);
  view.setUint16(0, spec.extensible ? 0xfffe : tag, true);
  view.setUint16(2, channels, true);
  view.setUint32(4, rateHz, true);
  view.setUint32(8, rateHz * blockAlign, true); // byte rate
  view.setUint16(12, blockAlign, true);
  view.setUint16(14, spec.bits, true);
  if (size >= 18) view.setUint16(16, size - 18, true); // cbSize: the extension's length
  if (spec.extensible) {
    view.setUint16(18, spec.validBits ?? spec.bits, true);
    view.setUint32(20, 0, true); // channel mask: unspecified
    view.setUint16(24, tag, true);
    body.set(spec.guidTail ?? STANDARD_GUID_TAIL, 26);
  }
  return body.subarray(0, size);
}

function littleEndian(value: number, width: number): Uint8Array {
  return Uint8Array.from({ length: width }, (_, i) => Math.floor(value / 256 ** i) & 0xff);
}
