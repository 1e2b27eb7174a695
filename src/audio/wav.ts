/**
 * RIFF/WAVE decoding: bytes in, mono float samples out. Pure (no I/O), so the browser bundle uses it as is.
 *
 * Integer PCM maps to [-1, 1) the way libsndfile does, x / 2^(bits - 1) (8-bit is unsigned: (x - 128) / 128):
 * librosa.load reads through libsndfile, and the golden MFCCs were computed from 16-bit samples / 32768.
 * The decoder is tolerant where real writers are sloppy (a wrong RIFF size, chunks in any order, a data chunk
 * that runs past the end of a cut file) and strict about anything that would change the samples.
 */
import { WavError, invariant } from '../errors.ts';

/** A decoded WAV file, mixed down to mono. */
export interface DecodedWav {
  /** Frames per second, as the fmt chunk declares (not resampled). */
  sampleRateHz: number;
  /** Channels stored in the file; `samples` is already their average. */
  channels: number;
  /** The stored sample format, for display: 'PCM 16-bit', 'float 32-bit', 'PCM 24-bit (20 valid)'. */
  sourceFormat: string;
  /** One value per frame, the mean over channels; integer full scale is [-1, 1). */
  samples: Float32Array;
}

const FORMAT_PCM = 0x0001;
const FORMAT_IEEE_FLOAT = 0x0003;
const FORMAT_EXTENSIBLE = 0xfffe;
/** Common tags we refuse, named so the message says what the file is (tag values from Microsoft's mmreg.h). */
const FORMAT_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0002, 'ADPCM'],
  [0x0006, 'A-law'],
  [0x0007, 'mu-law'],
  [0x0011, 'IMA ADPCM'],
  [0x0055, 'MP3'],
]);
/**
 * Bytes 2..15 of the KSDATAFORMAT_SUBTYPE_PCM and _IEEE_FLOAT GUIDs (xxxx0000-0000-0010-8000-00aa00389b71);
 * bytes 0..1 hold the plain format tag. Other GUIDs (e.g. ambisonic sub-formats) mean something else.
 */
const SUBFORMAT_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
const RIFF_HEADER_BYTES = 12; // "RIFF", size, "WAVE"
const CHUNK_HEADER_BYTES = 8; // id, size
const FMT_BYTES = 16;
const FMT_EXTENSIBLE_BYTES = 40;
/** Chunks listed by name in a "no fmt/data chunk" message; a damaged file can hold thousands of tiny ones. */
const MAX_CHUNKS_LISTED = 8;

/** Reads one stored sample at a byte offset and returns it as a float in [-1, 1) (floats as stored). */
type ReadSample = (view: DataView, byteOffset: number) => number;

/** One converter per supported container; the keys are also the bit depths the error messages list. */
const READERS: Readonly<Record<'PCM' | 'float', Partial<Readonly<Record<number, ReadSample>>>>> = {
  PCM: {
    8: (view, at) => (view.getUint8(at) - 128) / 128,
    16: (view, at) => view.getInt16(at, true) / 32768,
    24: (view, at) => (view.getUint16(at, true) | (view.getInt8(at + 2) << 16)) / 8388608,
    32: (view, at) => view.getInt32(at, true) / 2147483648,
  },
  float: {
    32: (view, at) => view.getFloat32(at, true),
    64: (view, at) => view.getFloat64(at, true),
  },
};

/** A chunk as the walker found it; `availableBytes` is less than `declaredBytes` when the file is cut short. */
interface Chunk {
  id: string;
  /** Byte offset of the chunk header (its body starts 8 bytes later). */
  offset: number;
  declaredBytes: number;
  availableBytes: number;
}

/** What the fmt chunk says, validated. */
interface SampleFormat {
  kind: 'PCM' | 'float';
  channels: number;
  sampleRateHz: number;
  containerBits: number;
  validBits: number;
  blockAlignBytes: number;
  read: ReadSample;
}

type Fail = (message: string) => WavError;

/**
 * Decodes a RIFF/WAVE file: PCM 8/16/24/32-bit, IEEE float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE, any
 * channel count (averaged to mono in float64) and sample rate, chunks in any order.
 * @param bytes the whole file
 * @param file the name used in error messages
 * @throws WavError one line saying what was found and what was expected
 */
export function decodeWav(bytes: Uint8Array, file: string): DecodedWav {
  const fail: Fail = (message) => new WavError(message, { file });
  checkRiffHeader(bytes, fail);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { fmt, data } = findChunks(bytes, view, fail);
  const format = parseFmt(view, fmt, fail);
  const frames = Math.floor(data.availableBytes / format.blockAlignBytes);
  if (frames === 0) {
    throw fail(`no samples (data chunk of ${data.availableBytes} bytes); expected at least one ${format.blockAlignBytes}-byte frame`);
  }
  const dataStart = data.offset + CHUNK_HEADER_BYTES;
  const samples = mixToMono(view, dataStart, frames, format);
  if (format.kind === 'float') checkFinite(samples, view, dataStart, format, fail);
  const valid = format.validBits < format.containerBits ? ` (${format.validBits} valid)` : '';
  return {
    sampleRateHz: format.sampleRateHz,
    channels: format.channels,
    sourceFormat: `${format.kind} ${format.containerBits}-bit${valid}`,
    samples,
  };
}

function checkRiffHeader(bytes: Uint8Array, fail: Fail): void {
  if (bytes.length === 0) throw fail('empty file (0 bytes); expected a RIFF/WAVE file');
  const magic = fourCC(bytes, 0);
  if (magic === 'RIFX') throw fail('RIFX (big-endian WAV) is not supported; expected "RIFF" (little-endian)');
  if (magic === 'RF64' || magic === 'BW64') throw fail(`${magic} (64-bit WAV) is not supported; expected "RIFF"`);
  if (!'RIFF'.startsWith(magic)) throw fail(`not a RIFF/WAVE file (starts with ${quoted(magic)}); expected "RIFF"`);
  if (bytes.length < RIFF_HEADER_BYTES) {
    throw fail(`truncated header (${bytes.length} bytes); expected at least 12 ("RIFF", size, "WAVE")`);
  }
  const form = fourCC(bytes, 8);
  if (form !== 'WAVE') throw fail(`not a RIFF/WAVE file (RIFF form ${quoted(form)}); expected "WAVE"`);
}

/**
 * Walks the chunks after the RIFF header until the first fmt and the first data chunk are found; everything
 * else (LIST, fact, cue, JUNK, ...) is skipped. The RIFF size field is ignored: writers often get it wrong.
 * Each step advances by at least 8 bytes, so any input ends the loop.
 */
function findChunks(bytes: Uint8Array, view: DataView, fail: Fail): { fmt: Chunk; data: Chunk } {
  const seen: Chunk[] = [];
  let fmt: Chunk | undefined;
  let data: Chunk | undefined;
  let offset = RIFF_HEADER_BYTES;
  while ((fmt === undefined || data === undefined) && offset < bytes.length) {
    const left = bytes.length - offset;
    if (left < CHUNK_HEADER_BYTES) {
      throw fail(`chunk header cut off at byte ${offset} (${left} bytes left); expected 8 (id and size)`);
    }
    const declaredBytes = view.getUint32(offset + 4, true);
    const bodyStart = offset + CHUNK_HEADER_BYTES;
    const availableBytes = Math.min(declaredBytes, bytes.length - bodyStart);
    const chunk = { id: fourCC(bytes, offset), offset, declaredBytes, availableBytes };
    seen.push(chunk);
    if (chunk.id === 'fmt ') fmt ??= chunk;
    if (chunk.id === 'data') data ??= chunk;
    offset = bodyStart + declaredBytes + (declaredBytes & 1); // an odd-sized chunk is followed by a pad byte
  }
  if (fmt === undefined) throw fail(`no fmt chunk (${describeChunks(seen)}); expected a "fmt " chunk`);
  if (data === undefined) throw fail(`no data chunk (${describeChunks(seen)}); expected a "data" chunk`);
  return { fmt, data };
}

/**
 * The highest sample rate read: 1 MHz, well past any audio rate (384 kHz). A header declaring more is damaged or
 * not audio, and resampling from it would exhaust the front end's memory before failing.
 */
export const MAX_SAMPLE_RATE_HZ = 1_000_000;

/** Parses and validates a fmt chunk (plain 16/18+ bytes, or 40 bytes for WAVE_FORMAT_EXTENSIBLE). */
function parseFmt(view: DataView, chunk: Chunk, fail: Fail): SampleFormat {
  const size = chunk.declaredBytes;
  if (chunk.availableBytes < size) {
    throw fail(`fmt chunk cut off at byte ${chunk.offset} (${size} bytes declared, ${chunk.availableBytes} left)`);
  }
  if (size < FMT_BYTES) throw fail(`fmt chunk too short (${size} bytes); expected at least ${FMT_BYTES}`);
  const at = chunk.offset + CHUNK_HEADER_BYTES;
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRateHz = view.getUint32(at + 4, true);
  const blockAlignBytes = view.getUint16(at + 12, true);
  const containerBits = view.getUint16(at + 14, true);
  const extensible = tag === FORMAT_EXTENSIBLE;
  let validBits = containerBits;
  if (extensible) {
    if (size < FMT_EXTENSIBLE_BYTES) {
      throw fail(`WAVE_FORMAT_EXTENSIBLE fmt chunk too short (${size} bytes); expected at least ${FMT_EXTENSIBLE_BYTES}`);
    }
    validBits = view.getUint16(at + 18, true) || containerBits; // 0: the writer did not say; the container is all valid
    tag = view.getUint16(at + 24, true);
    const guid = new Uint8Array(view.buffer, view.byteOffset + at + 24, 16);
    if (SUBFORMAT_GUID_TAIL.some((byte, i) => guid[i + 2] !== byte)) {
      throw fail(`unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID ${formatGuid(guid)}; expected PCM or IEEE float (xxxx0000-0000-0010-8000-00aa00389b71)`);
    }
  }
  if (tag !== FORMAT_PCM && tag !== FORMAT_IEEE_FLOAT) {
    const what = extensible ? 'WAVE_FORMAT_EXTENSIBLE sub-format' : 'WAV format tag';
    const name = FORMAT_NAMES.get(tag);
    throw fail(`unsupported ${what} ${hex16(tag)}${name === undefined ? '' : ` (${name})`}; expected PCM (1) or IEEE float (3)`);
  }
  if (channels === 0) throw fail('zero channels; expected at least 1');
  if (sampleRateHz === 0) throw fail('sample rate 0 Hz; expected a positive rate');
  if (sampleRateHz > MAX_SAMPLE_RATE_HZ) throw fail(`sample rate ${sampleRateHz} Hz; expected at most ${MAX_SAMPLE_RATE_HZ} Hz (1 MHz)`);
  const kind = tag === FORMAT_PCM ? 'PCM' : 'float';
  const read = READERS[kind][containerBits];
  if (read === undefined) {
    throw fail(`unsupported ${kind} bit depth ${containerBits}; expected ${orList(Object.keys(READERS[kind]))}`);
  }
  if (validBits > containerBits) {
    throw fail(`${validBits} valid bits in a ${containerBits}-bit container; expected at most ${containerBits}`);
  }
  const expectedAlign = (channels * containerBits) / 8;
  if (blockAlignBytes !== expectedAlign) {
    const channelText = channels === 1 ? '1 channel' : `${channels} channels`;
    throw fail(`block align ${blockAlignBytes} bytes inconsistent with ${channelText} of ${containerBits} bits; expected ${expectedAlign}`);
  }
  return { kind, channels, sampleRateHz, containerBits, validBits, blockAlignBytes, read };
}

/** Averages the channels of each interleaved frame, summing in float64 so mixing adds only the final rounding. */
function mixToMono(view: DataView, start: number, frames: number, format: SampleFormat): Float32Array {
  const { channels, blockAlignBytes, read } = format;
  const sampleBytes = format.containerBits / 8;
  const out = new Float32Array(frames);
  for (let frame = 0, at = start; frame < frames; frame++, at += blockAlignBytes) {
    let sum = read(view, at); // not 0 + ...: that would turn a stored -0 into +0
    for (let channel = 1; channel < channels; channel++) sum += read(view, at + channel * sampleBytes);
    out[frame] = sum / channels;
  }
  return out;
}

/**
 * Float files can hold NaN, ±Infinity, or float64 values beyond float32's range; any of them turns every
 * spectrum frame it touches into NaN, so they are rejected with the offending sample's index (interleaved).
 * A mean is non-finite only if one of its samples is, so the search stops at the first bad output frame.
 */
function checkFinite(samples: Float32Array, view: DataView, start: number, format: SampleFormat, fail: Fail): void {
  const sampleBytes = format.containerBits / 8;
  for (let frame = 0; frame < samples.length; frame++) {
    if (Number.isFinite(samples[frame])) continue;
    for (let channel = 0; channel < format.channels; channel++) {
      const value = format.read(view, start + frame * format.blockAlignBytes + channel * sampleBytes);
      if (Number.isFinite(Math.fround(value))) continue;
      const where = `at sample index ${frame * format.channels + channel} (frame ${frame}, channel ${channel})`;
      throw fail(Number.isFinite(value)
        ? `float sample ${value} ${where} overflows float32; expected magnitudes below 3.4e38`
        : `non-finite float sample ${value} ${where}; expected finite values`);
    }
    invariant(false, `frame ${frame} mixed to ${samples[frame]} from finite samples`);
  }
}

/** Up to 4 bytes at `offset` as a Latin-1 string (fewer at the end of the file). */
function fourCC(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + 4));
}

/** A four-character code for a message: printable ASCII as is, other bytes as \xNN, in double quotes. */
function quoted(code: string): string {
  const escaped = code.replace(/[^\x20-\x7e]|["\\]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `"${escaped}"`;
}

/** `found "fmt ", "LIST" (cut off: 5000 bytes declared, 20 left)` or `found no chunks`. */
function describeChunks(chunks: readonly Chunk[]): string {
  if (chunks.length === 0) return 'found no chunks';
  const names = chunks.slice(0, MAX_CHUNKS_LISTED).map((chunk) =>
    chunk.availableBytes < chunk.declaredBytes
      ? `${quoted(chunk.id)} (cut off: ${chunk.declaredBytes} bytes declared, ${chunk.availableBytes} left)`
      : quoted(chunk.id),
  );
  const more = chunks.length > MAX_CHUNKS_LISTED ? ` and ${chunks.length - MAX_CHUNKS_LISTED} more` : '';
  return `found ${names.join(', ')}${more}`;
}

function hex16(value: number): string {
  return `0x${value.toString(16).padStart(4, '0').toUpperCase()}`;
}

/** A GUID in its usual text form: the first three fields are little-endian, the last eight bytes in order. */
function formatGuid(guid: Uint8Array): string {
  const hex = (from: number, to: number, reverse: boolean): string => {
    const part = Array.from(guid.subarray(from, to), (b) => b.toString(16).padStart(2, '0'));
    return (reverse ? part.reverse() : part).join('');
  };
  return [hex(0, 4, true), hex(4, 6, true), hex(6, 8, true), hex(8, 10, false), hex(10, 16, false)].join('-');
}

/** ['8', '16', '24'] -> '8, 16 or 24'. */
function orList(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
