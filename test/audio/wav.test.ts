import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeWav } from '../../src/audio/wav.ts';
import { readWavFile } from '../../src/platform/node/wav-file.ts';
import { emodbWavDir, sharedPath } from '../support/paths.ts';
import { buildWav, bytesOf, u32, type WavSpec } from './wav-corpus.ts';

interface Variant {
  name: string;
  bytes: Uint8Array;
  sourceFormat: string;
  channels: number;
  rateHz: number;
  /** Expected mono samples, written from the stored values so a wrong scale or sign shows. */
  samples: readonly number[];
}

const pcm16: WavSpec = { format: 'PCM', bits: 16, samples: [-32768, -1, 0, 1, 32767] };
const pcm16Samples = [-1, -1 / 32768, 0, 1 / 32768, 32767 / 32768];
const mono16 = { sourceFormat: 'PCM 16-bit', channels: 1, rateHz: 8000, samples: pcm16Samples };
const list = { id: 'LIST', body: bytesOf('INFOISFT', u32(6), 'msse\0\0') };

const variants: Variant[] = [
  {
    name: 'PCM 8-bit is unsigned: (x - 128) / 128',
    bytes: buildWav({ format: 'PCM', bits: 8, samples: [0, 1, 127, 128, 129, 255] }),
    sourceFormat: 'PCM 8-bit', channels: 1, rateHz: 8000,
    samples: [-1, -127 / 128, -1 / 128, 0, 1 / 128, 127 / 128],
  },
  { name: 'PCM 16-bit: x / 32768 (libsndfile, librosa)', bytes: buildWav(pcm16), ...mono16 },
  {
    name: 'PCM 24-bit: x / 2^23',
    bytes: buildWav({ format: 'PCM', bits: 24, samples: [-8388608, -1, 0, 1, 0x123456, 8388607] }),
    sourceFormat: 'PCM 24-bit', channels: 1, rateHz: 8000,
    samples: [-1, -1 / 2 ** 23, 0, 1 / 2 ** 23, 0x123456 / 2 ** 23, 8388607 / 2 ** 23],
  },
  {
    name: 'PCM 32-bit: x / 2^31',
    bytes: buildWav({ format: 'PCM', bits: 32, samples: [-2147483648, -1, 0, 1, 0x12345678, 2147483647] }),
    sourceFormat: 'PCM 32-bit', channels: 1, rateHz: 8000,
    samples: [-1, -1 / 2 ** 31, 0, 1 / 2 ** 31, 0x12345678 / 2 ** 31, 2147483647 / 2 ** 31],
  },
  {
    name: 'float 32-bit as stored, beyond ±1 and -0 included',
    bytes: buildWav({ format: 'float', bits: 32, samples: [-1, 0.5, 0.1, 1e-30, 3, -0] }),
    sourceFormat: 'float 32-bit', channels: 1, rateHz: 8000,
    samples: [-1, 0.5, 0.1, 1e-30, 3, -0],
  },
  {
    name: 'float 64-bit rounded to float32',
    bytes: buildWav({ format: 'float', bits: 64, samples: [0.1, -0.25, 1 / 3, 1e-300] }),
    sourceFormat: 'float 64-bit', channels: 1, rateHz: 8000,
    samples: [0.1, -0.25, 1 / 3, 0],
  },
  {
    name: 'PCM 8-bit stereo averaged',
    bytes: buildWav({ format: 'PCM', bits: 8, channels: 2, samples: [0, 255, 130, 131] }),
    sourceFormat: 'PCM 8-bit', channels: 2, rateHz: 8000,
    samples: [-1 / 256, 5 / 256],
  },
  {
    name: 'PCM 16-bit stereo averaged',
    bytes: buildWav({ format: 'PCM', bits: 16, channels: 2, samples: [-32768, 32767, 100, 101, 1, -1] }),
    sourceFormat: 'PCM 16-bit', channels: 2, rateHz: 8000,
    samples: [-1 / 65536, 201 / 65536, 0],
  },
  {
    name: 'PCM 24-bit, 3 channels averaged in float64',
    bytes: buildWav({ format: 'PCM', bits: 24, channels: 3, samples: [1, 2, 4, -8388608, 8388607, 8388607] }),
    sourceFormat: 'PCM 24-bit', channels: 3, rateHz: 8000,
    samples: [7 / 3 / 2 ** 23, 8388606 / 3 / 2 ** 23],
  },
  {
    name: 'float 32-bit, 6 channels (5.1) averaged',
    bytes: buildWav({ format: 'float', bits: 32, channels: 6, samples: [0.5, 0.25, -1, 1, 0, 0.125] }),
    sourceFormat: 'float 32-bit', channels: 6, rateHz: 8000,
    samples: [0.875 / 6],
  },
  ...[1, 16000, 44100, 96000, 1_000_000].map((rateHz) => ({
    name: `sample rate ${rateHz} Hz kept as declared`,
    bytes: buildWav({ ...pcm16, rateHz }),
    ...mono16,
    rateHz,
  })),
  {
    name: 'extensible PCM 16-bit',
    bytes: buildWav({ ...pcm16, extensible: true }),
    ...mono16,
  },
  {
    name: 'extensible PCM 16-bit with valid bits 0 (unspecified)',
    bytes: buildWav({ ...pcm16, extensible: true, validBits: 0 }),
    ...mono16,
  },
  {
    name: 'extensible PCM 8-bit',
    bytes: buildWav({ format: 'PCM', bits: 8, extensible: true, samples: [0, 128, 192] }),
    sourceFormat: 'PCM 8-bit', channels: 1, rateHz: 8000,
    samples: [-1, 0, 0.5],
  },
  {
    name: 'extensible PCM 20 valid bits in a 24-bit container: left-justified, / 2^23',
    bytes: buildWav({ format: 'PCM', bits: 24, validBits: 20, extensible: true, samples: [0x12345 * 16, -1 * 16, -524288 * 16] }),
    sourceFormat: 'PCM 24-bit (20 valid)', channels: 1, rateHz: 8000,
    samples: [0x12345 / 2 ** 19, -1 / 2 ** 19, -1],
  },
  {
    name: 'extensible PCM 24 valid bits in a 32-bit container',
    bytes: buildWav({ format: 'PCM', bits: 32, validBits: 24, extensible: true, channels: 2, samples: [256, 512, -2147483648, 2147483392] }),
    sourceFormat: 'PCM 32-bit (24 valid)', channels: 2, rateHz: 8000,
    samples: [3 / 2 ** 24, -1 / 2 ** 24],
  },
  {
    name: 'extensible float 32-bit',
    bytes: buildWav({ format: 'float', bits: 32, extensible: true, samples: [0.75, -0.1] }),
    sourceFormat: 'float 32-bit', channels: 1, rateHz: 8000,
    samples: [0.75, -0.1],
  },
  {
    name: 'extensible float 64-bit stereo',
    bytes: buildWav({ format: 'float', bits: 64, extensible: true, channels: 2, rateHz: 48000, samples: [0.5, 0.25, 1 / 3, 1 / 3] }),
    sourceFormat: 'float 64-bit', channels: 2, rateHz: 48000,
    samples: [0.375, 1 / 3],
  },
  { name: 'fmt chunk of 18 bytes (cbSize 0)', bytes: buildWav({ ...pcm16, fmtBytes: 18 }), ...mono16 },
  { name: 'fmt chunk of 20 bytes (cbSize 2, extension skipped)', bytes: buildWav({ ...pcm16, fmtBytes: 20 }), ...mono16 },
  { name: 'fmt chunk after the data chunk', bytes: buildWav({ ...pcm16, chunks: ['data', 'fmt'] }), ...mono16 },
  {
    name: 'JUNK, LIST, fact and cue chunks skipped',
    bytes: buildWav({
      ...pcm16,
      chunks: [{ id: 'JUNK', body: new Uint8Array(28) }, 'fmt', list, { id: 'fact', body: u32(5) }, 'data', { id: 'cue ', body: u32(0) }],
    }),
    ...mono16,
  },
  {
    name: 'odd-sized chunk followed by its pad byte',
    bytes: buildWav({ ...pcm16, chunks: ['fmt', { id: 'odd ', body: [1, 2, 3] }, 'data'] }),
    ...mono16,
  },
  {
    name: 'odd-sized data chunk, pad byte, then fmt',
    bytes: buildWav({ format: 'PCM', bits: 8, samples: [0, 64, 255], chunks: ['data', 'fmt'] }),
    sourceFormat: 'PCM 8-bit', channels: 1, rateHz: 8000,
    samples: [-1, -0.5, 127 / 128],
  },
  {
    name: 'odd-sized data chunk at the end without its pad byte',
    bytes: buildWav({ format: 'PCM', bits: 8, samples: [0, 64, 255] }).subarray(0, -1),
    sourceFormat: 'PCM 8-bit', channels: 1, rateHz: 8000,
    samples: [-1, -0.5, 127 / 128],
  },
  {
    name: 'data size past the end of the file: read to the end, whole frames only',
    bytes: buildWav({ ...pcm16, channels: 2, dataBody: bytesOf([0, 0x80, 0xff, 0x7f, 2, 0, 4, 0, 9, 9, 9]), declaredDataBytes: 1000 }),
    sourceFormat: 'PCM 16-bit', channels: 2, rateHz: 8000,
    samples: [-1 / 65536, 3 / 32768],
  },
  {
    name: 'data size 0xFFFFFFFF (streaming writer): read to the end',
    bytes: buildWav({ ...pcm16, declaredDataBytes: 0xffffffff }),
    ...mono16,
  },
  {
    name: 'data size not a whole number of frames: the partial frame dropped',
    bytes: buildWav({ ...pcm16, channels: 2, dataBody: bytesOf([0, 0x40, 0, 0x40, 0, 0xc0, 0, 0xc0, 7]) }),
    sourceFormat: 'PCM 16-bit', channels: 2, rateHz: 8000,
    samples: [0.5, -0.5],
  },
  ...[0, 4, 0xffffffff].map((riffSizeBytes) => ({
    name: `RIFF size field ${riffSizeBytes} ignored`,
    bytes: buildWav({ ...pcm16, riffSizeBytes }),
    ...mono16,
  })),
  { name: 'trailing bytes after the data chunk ignored', bytes: bytesOf(buildWav(pcm16), [1, 2, 3]), ...mono16 },
  {
    name: 'the first fmt and data chunks win',
    bytes: buildWav({
      ...pcm16,
      chunks: ['fmt', 'data', { id: 'fmt ', body: new Uint8Array(16) }, { id: 'data', body: [9, 9] }],
    }),
    ...mono16,
  },
  {
    name: 'chunk with a non-ASCII id skipped',
    bytes: buildWav({ ...pcm16, chunks: [{ id: '\x00\xff\x01z', body: [5, 5] }, 'fmt', 'data'] }),
    ...mono16,
  },
];

describe('decodeWav', () => {
  test.each(variants)('$name', ({ bytes, sourceFormat, channels, rateHz, samples }) => {
    const wav = decodeWav(bytes, 'case.wav');
    expect(wav.sourceFormat).toBe(sourceFormat);
    expect(wav.channels).toBe(channels);
    expect(wav.sampleRateHz).toBe(rateHz);
    expect(wav.samples).toEqual(Float32Array.from(samples));
  });

  test('bytes that are a view into a larger buffer (byteOffset 3)', () => {
    const file = buildWav({ format: 'float', bits: 32, samples: [0.25, -0.5] });
    const larger = new Uint8Array(file.length + 8);
    larger.set(file, 3);
    expect(decodeWav(larger.subarray(3, 3 + file.length), 'case.wav').samples).toEqual(Float32Array.from([0.25, -0.5]));
  });
});

describe('EMO-DB', () => {
  test('all 535 files: 22050 Hz mono PCM 16-bit, 44100 samples, peak in (0.1, 1]', () => {
    const files = readdirSync(emodbWavDir).filter((name) => name.endsWith('.wav'));
    expect(files).toHaveLength(535);
    for (const name of files) {
      const wav = readWavFile(join(emodbWavDir, name));
      expect({ name, rate: wav.sampleRateHz, channels: wav.channels, format: wav.sourceFormat, length: wav.samples.length })
        .toEqual({ name, rate: 22050, channels: 1, format: 'PCM 16-bit', length: 44100 });
      let peak = 0;
      for (const x of wav.samples) peak = Math.max(peak, Math.abs(x));
      expect(peak, name).toBeGreaterThan(0.1); // peak-normalised speech, not silence or a misread scale
      expect(peak, name).toBeLessThanOrEqual(1);
    }
  });

  test('03a01Wa equals golden/mfcc/03a01Wa.signal.f32 (25950 zeros, x / 32768, zeros) exactly', () => {
    const golden = new Float32Array(Uint8Array.from(readFileSync(sharedPath('golden', 'mfcc', '03a01Wa.signal.f32'))).buffer);
    const wav = readWavFile(sharedPath('data', 'emodb', 'wav', '03a01Wa.wav'));
    const padBefore = 25950;
    expect(golden).toHaveLength(96000);
    expect(golden.subarray(padBefore, padBefore + 44100)).toEqual(wav.samples);
    expect(golden.subarray(0, padBefore).every((x) => x === 0)).toBe(true);
    expect(golden.subarray(padBefore + 44100).every((x) => x === 0)).toBe(true);
  });
});
