import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { WavError } from '../../src/errors.ts';
import { decodeWav } from '../../src/audio/wav.ts';
import { readWavFile } from '../../src/platform/node/wav-file.ts';
import { sharedPath } from '../support/paths.ts';
import { buildWav, bytesOf, riff, u16, u32, type WavSpec } from './wav-corpus.ts';
import { mulberry32 } from '../support/prng.ts';

/** The error `run` throws; fails the test when it returns or throws something else. */
function wavError(run: () => unknown): WavError {
  try {
    run();
  } catch (error) {
    if (error instanceof WavError) return error;
    throw error;
  }
  throw new Error('expected a WavError, but decoding succeeded');
}

const pcm16: WavSpec = { format: 'PCM', bits: 16, samples: [1, 2, 3, 4] };
const withMagic = (magic: string): Uint8Array => bytesOf(magic, buildWav(pcm16).subarray(4));
const expectedFormats = 'expected PCM (1) or IEEE float (3)';
/** KSDATAFORMAT_SUBTYPE_AMBISONIC_B_FORMAT_PCM, 00000001-0721-11d3-8644-c8c1ca000000, bytes 2..15. */
const ambisonicGuidTail = [0x00, 0x00, 0x21, 0x07, 0xd3, 0x11, 0x86, 0x44, 0xc8, 0xc1, 0xca, 0x00, 0x00, 0x00];

const malformed: { name: string; bytes: Uint8Array; message: string }[] = [
  { name: 'empty file', bytes: new Uint8Array(0), message: 'empty file (0 bytes); expected a RIFF/WAVE file' },
  { name: 'ID3 tag (an MP3)', bytes: bytesOf('ID3', [3, 0, 0]), message: 'not a RIFF/WAVE file (starts with "ID3\\x03"); expected "RIFF"' },
  { name: 'text', bytes: bytesOf('this is not audio'), message: 'not a RIFF/WAVE file (starts with "this"); expected "RIFF"' },
  { name: 'two bytes of something else', bytes: bytesOf('"a'), message: 'not a RIFF/WAVE file (starts with "\\x22a"); expected "RIFF"' },
  { name: 'RIFX (big-endian)', bytes: withMagic('RIFX'), message: 'RIFX (big-endian WAV) is not supported; expected "RIFF" (little-endian)' },
  { name: 'RF64', bytes: withMagic('RF64'), message: 'RF64 (64-bit WAV) is not supported; expected "RIFF"' },
  { name: 'BW64', bytes: withMagic('BW64'), message: 'BW64 (64-bit WAV) is not supported; expected "RIFF"' },
  { name: 'RIFF form AVI', bytes: bytesOf('RIFF', u32(4), 'AVI '), message: 'not a RIFF/WAVE file (RIFF form "AVI "); expected "WAVE"' },
  { name: 'truncated header (2 bytes)', bytes: bytesOf('RI'), message: 'truncated header (2 bytes); expected at least 12 ("RIFF", size, "WAVE")' },
  { name: 'truncated header (11 bytes)', bytes: bytesOf('RIFF', u32(4), 'WAV'), message: 'truncated header (11 bytes); expected at least 12 ("RIFF", size, "WAVE")' },
  { name: 'header only', bytes: riff([]), message: 'no fmt chunk (found no chunks); expected a "fmt " chunk' },
  {
    name: 'first chunk header cut off',
    bytes: bytesOf(riff([]), 'fmt ', [16, 0]),
    message: 'chunk header cut off at byte 12 (6 bytes left); expected 8 (id and size)',
  },
  {
    name: 'chunk header cut off after fmt',
    bytes: bytesOf(buildWav({ ...pcm16, chunks: ['fmt'] }), 'da'),
    message: 'chunk header cut off at byte 36 (2 bytes left); expected 8 (id and size)',
  },
  { name: 'no data chunk', bytes: buildWav({ ...pcm16, chunks: ['fmt'] }), message: 'no data chunk (found "fmt "); expected a "data" chunk' },
  {
    name: 'no data chunk: fmt cut off',
    bytes: buildWav({ ...pcm16, chunks: ['fmt'] }).subarray(0, 30),
    message: 'no data chunk (found "fmt " (cut off: 16 bytes declared, 10 left)); expected a "data" chunk',
  },
  {
    name: 'no data chunk: LIST runs past the end',
    bytes: buildWav({ ...pcm16, chunks: ['fmt', { id: 'LIST', body: new Uint8Array(20), declaredBytes: 5000 }, 'data'] }),
    message: 'no data chunk (found "fmt ", "LIST" (cut off: 5000 bytes declared, 36 left)); expected a "data" chunk',
  },
  {
    name: 'no fmt chunk',
    bytes: buildWav({ ...pcm16, chunks: ['data', { id: 'LIST', body: [0, 0] }] }),
    message: 'no fmt chunk (found "data", "LIST"); expected a "fmt " chunk',
  },
  {
    name: 'no fmt chunk: data runs past the end',
    bytes: buildWav({ ...pcm16, chunks: ['data', 'fmt'], declaredDataBytes: 100000 }),
    message: 'no fmt chunk (found "data" (cut off: 100000 bytes declared, 32 left)); expected a "fmt " chunk',
  },
  {
    name: 'no fmt chunk among many, non-ASCII id escaped',
    bytes: riff([{ id: '\x00\x01"b', body: [] }, ...Array.from({ length: 9 }, () => ({ id: 'JUNK', body: [] }))]),
    message: 'no fmt chunk (found "\\x00\\x01\\x22b", "JUNK", "JUNK", "JUNK", "JUNK", "JUNK", "JUNK", "JUNK" and 2 more); expected a "fmt " chunk',
  },
  {
    name: 'fmt chunk cut off (after data)',
    bytes: buildWav({ ...pcm16, chunks: ['data', 'fmt'] }).subarray(0, -4),
    message: 'fmt chunk cut off at byte 28 (16 bytes declared, 12 left)',
  },
  { name: 'fmt chunk too short (14 bytes)', bytes: buildWav({ ...pcm16, fmtBytes: 14 }), message: 'fmt chunk too short (14 bytes); expected at least 16' },
  { name: 'fmt chunk empty', bytes: buildWav({ ...pcm16, fmtBytes: 0 }), message: 'fmt chunk too short (0 bytes); expected at least 16' },
  ...[
    [0x0002, ' (ADPCM)'],
    [0x0006, ' (A-law)'],
    [0x0007, ' (mu-law)'],
    [0x0011, ' (IMA ADPCM)'],
    [0x0055, ' (MP3)'],
    [0x1234, ''],
    [0x0000, ''],
  ].map(([tag, name]) => ({
    name: `format tag ${tag}`,
    bytes: buildWav({ ...pcm16, formatTag: Number(tag) }),
    message: `unsupported WAV format tag 0x${Number(tag).toString(16).toUpperCase().padStart(4, '0')}${name}; ${expectedFormats}`,
  })),
  {
    name: 'extensible fmt chunk of 18 bytes',
    bytes: buildWav({ ...pcm16, extensible: true, fmtBytes: 18 }),
    message: 'WAVE_FORMAT_EXTENSIBLE fmt chunk too short (18 bytes); expected at least 40',
  },
  {
    name: 'extensible sub-format MP3',
    bytes: buildWav({ ...pcm16, extensible: true, formatTag: 0x0055 }),
    message: `unsupported WAVE_FORMAT_EXTENSIBLE sub-format 0x0055 (MP3); ${expectedFormats}`,
  },
  {
    name: 'extensible ambisonic sub-format GUID',
    bytes: buildWav({ ...pcm16, extensible: true, guidTail: ambisonicGuidTail }),
    message: 'unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID 00000001-0721-11d3-8644-c8c1ca000000; expected PCM or IEEE float (xxxx0000-0000-0010-8000-00aa00389b71)',
  },
  { name: 'zero channels', bytes: buildWav({ ...pcm16, channels: 0 }), message: 'zero channels; expected at least 1' },
  { name: 'sample rate 0', bytes: buildWav({ ...pcm16, rateHz: 0 }), message: 'sample rate 0 Hz; expected a positive rate' },
  ...[1_000_001, 500_000_000, 2_000_000_000].map((rateHz) => ({
    name: `sample rate ${rateHz} Hz`,
    bytes: buildWav({ ...pcm16, rateHz }),
    message: `sample rate ${rateHz} Hz; expected at most 1000000 Hz (1 MHz)`,
  })),
  ...[0, 12, 20, 40, 64].map((bits) => ({
    name: `PCM ${bits}-bit`,
    bytes: buildWav({ format: 'PCM', bits, samples: [1, 2] }),
    message: `unsupported PCM bit depth ${bits}; expected 8, 16, 24 or 32`,
  })),
  ...[16, 24].map((bits) => ({
    name: `float ${bits}-bit`,
    bytes: buildWav({ format: 'float', bits, samples: [0x3c00, 0] }),
    message: `unsupported float bit depth ${bits}; expected 32 or 64`,
  })),
  {
    name: 'extensible PCM container of 20 bits',
    bytes: buildWav({ format: 'PCM', bits: 20, extensible: true, samples: [1, 2] }),
    message: 'unsupported PCM bit depth 20; expected 8, 16, 24 or 32',
  },
  {
    name: 'extensible 32 valid bits in a 24-bit container',
    bytes: buildWav({ format: 'PCM', bits: 24, validBits: 32, extensible: true, samples: [1, 2] }),
    message: '32 valid bits in a 24-bit container; expected at most 24',
  },
  {
    name: 'block align 2 for stereo 16-bit',
    bytes: buildWav({ ...pcm16, channels: 2, blockAlignBytes: 2 }),
    message: 'block align 2 bytes inconsistent with 2 channels of 16 bits; expected 4',
  },
  {
    name: 'block align 4 for mono 24-bit',
    bytes: buildWav({ format: 'PCM', bits: 24, blockAlignBytes: 4, samples: [1, 2] }),
    message: 'block align 4 bytes inconsistent with 1 channel of 24 bits; expected 3',
  },
  {
    name: 'empty data chunk',
    bytes: buildWav({ ...pcm16, samples: [] }),
    message: 'no samples (data chunk of 0 bytes); expected at least one 2-byte frame',
  },
  {
    name: 'data chunk shorter than one frame',
    bytes: buildWav({ ...pcm16, channels: 2, dataBody: bytesOf([1, 2, 3]) }),
    message: 'no samples (data chunk of 3 bytes); expected at least one 4-byte frame',
  },
  {
    name: 'data chunk header at the end of the file',
    bytes: buildWav({ ...pcm16, samples: [], declaredDataBytes: 88200 }),
    message: 'no samples (data chunk of 0 bytes); expected at least one 2-byte frame',
  },
  {
    name: 'NaN in float 32-bit mono',
    bytes: buildWav({ format: 'float', bits: 32, samples: [0, 0.5, NaN, 1] }),
    message: 'non-finite float sample NaN at sample index 2 (frame 2, channel 0); expected finite values',
  },
  {
    name: 'Infinity in float 32-bit stereo',
    bytes: buildWav({ format: 'float', bits: 32, channels: 2, samples: [0, 0, 0.5, Infinity, NaN, 1] }),
    message: 'non-finite float sample Infinity at sample index 3 (frame 1, channel 1); expected finite values',
  },
  {
    name: '-Infinity in float 64-bit, 3 channels',
    bytes: buildWav({ format: 'float', bits: 64, channels: 3, samples: [0, 0, 0, 0, -Infinity, 0] }),
    message: 'non-finite float sample -Infinity at sample index 4 (frame 1, channel 1); expected finite values',
  },
  {
    name: 'float 64-bit beyond float32 range',
    bytes: buildWav({ format: 'float', bits: 64, samples: [0.5, -1e300] }),
    message: 'float sample -1e+300 at sample index 1 (frame 1, channel 0) overflows float32; expected magnitudes below 3.4e38',
  },
];

describe('decodeWav rejects', () => {
  test.each(malformed)('$name', ({ bytes, message }) => {
    const error = wavError(() => decodeWav(bytes, 'case.wav'));
    expect(error.message).toBe(message);
    expect(error.file).toBe('case.wav');
    expect(error.line).toBe(`case.wav: ${message}`);
  });
});

describe('readWavFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'msse-wav-'));

  test('a missing file', () => {
    const path = join(dir, 'missing.wav');
    expect(wavError(() => readWavFile(path)).line).toBe(`${path}: cannot read file: no such file (ENOENT)`);
  });

  test('a directory', () => {
    expect(wavError(() => readWavFile(dir)).line).toBe(`${dir}: cannot read file: is a directory (EISDIR)`);
  });

  test('a file that is not a WAV names the file', () => {
    const path = join(dir, 'notes.wav');
    writeFileSync(path, 'this is not audio');
    expect(wavError(() => readWavFile(path)).line).toBe(`${path}: not a RIFF/WAVE file (starts with "this"); expected "RIFF"`);
  });
});

describe('fuzz', () => {
  test('mutated and truncated EMO-DB bytes either decode or throw a one-line WavError', () => {
    const original = Uint8Array.from(readFileSync(sharedPath('data', 'emodb', 'wav', '03a01Wa.wav')));
    const random = mulberry32(20240611);
    const below = (n: number): number => Math.floor(random() * n);
    const pick = <T>(items: readonly T[]): T => items[below(items.length)]!;
    /** Overwrites bytes at `at`, as many as fit (earlier mutations may have cut the file short). */
    const put = (bytes: Uint8Array, value: Uint8Array, at: number): Uint8Array => {
      if (at < bytes.length) bytes.set(value.subarray(0, bytes.length - at), at);
      return bytes;
    };
    const headerBytes = 64; // RIFF header, fmt chunk, data header: where a flipped byte changes the parse
    const sizes = [0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 18, 40, 0x7fffffff, 0xfffffffe, 0xffffffff];
    const mutations: ((bytes: Uint8Array) => Uint8Array)[] = [
      (bytes) => bytes.subarray(0, below(bytes.length)),
      (bytes) => bytes.subarray(0, below(headerBytes)),
      (bytes) => put(bytes, Uint8Array.of(below(256)), below(headerBytes)),
      (bytes) => put(bytes, Uint8Array.of(below(256)), below(bytes.length)),
      (bytes) => bytesOf(bytes.subarray(0, below(headerBytes)), u32(pick(sizes)), bytes.subarray(below(headerBytes))),
      (bytes) => put(bytes, u32(pick(sizes)), below(headerBytes - 4)),
      (bytes) => put(bytes, u16(pick([0, 1, 2, 3, 8, 12, 24, 32, 64, 0xfffe, 0xffff])), 20 + 2 * below(8)),
      // Reinterpret the PCM data as float 32 mono or stereo float 64: random bit patterns include NaN and Inf.
      (bytes) => put(put(bytes, bytesOf(u16(3), u16(1 + below(2))), 20), bytesOf(u16(8), u16(32 * (1 + below(2)))), 32),
      (bytes) => bytesOf(bytes.subarray(0, 12), pick(['LIST', 'data', 'fmt ', 'JUNK']), u32(pick(sizes)), bytes.subarray(12)),
      (bytes) => { const at = below(bytes.length); return bytesOf(bytes.subarray(0, at), bytes.subarray(at + below(64))); },
    ];
    const outcomes = { decoded: 0, rejected: 0 };
    for (let round = 0; round < 3000; round++) {
      let bytes: Uint8Array = original.slice();
      for (let steps = 1 + below(3); steps > 0; steps--) bytes = pick(mutations)(bytes);
      let result;
      try {
        result = decodeWav(bytes, 'fuzz.wav');
      } catch (error) {
        if (!(error instanceof WavError)) throw new Error(`round ${round}: ${String(error)}`, { cause: error });
        expect(error.file).toBe('fuzz.wav');
        expect(error.message, `round ${round}`).not.toContain('\n');
        outcomes.rejected++;
        continue;
      }
      expect(result.samples.length, `round ${round}`).toBeGreaterThan(0);
      expect(result.channels * result.sampleRateHz, `round ${round}`).toBeGreaterThan(0);
      expect(result.samples.every(Number.isFinite), `round ${round}`).toBe(true);
      outcomes.decoded++;
    }
    // Both paths must be exercised, or the mutations are too weak (or too strong) to test anything.
    expect(outcomes.decoded).toBeGreaterThan(300);
    expect(outcomes.rejected).toBeGreaterThan(300);
  });
});
