import { describe, expect, test } from 'vitest';
import { sniffSampleRateHz } from '../../src/web/sniff-sample-rate.ts';

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** fLaC + a last-block STREAMINFO header + 34 bytes whose bits 80–99 hold the rate (then 2 channels, 16 bits). */
function flac(rateHz: number): Uint8Array {
  const info = new Array<number>(34).fill(0);
  info[10] = (rateHz >> 12) & 0xff;
  info[11] = (rateHz >> 4) & 0xff;
  info[12] = ((rateHz & 0xf) << 4) | 0x02;
  return Uint8Array.from([...ascii('fLaC'), 0x80, 0, 0, 34, ...info]);
}

/** An Ogg first page of one segment holding `packet`. */
function ogg(packet: number[]): Uint8Array {
  const header = [...ascii('OggS'), 0, 2, ...new Array<number>(20).fill(0), 1, packet.length];
  return Uint8Array.from([...header, ...packet]);
}
const vorbis = (rateHz: number) => ogg([1, ...ascii('vorbis'), 0, 0, 0, 0, 2, rateHz & 0xff, (rateHz >> 8) & 0xff, (rateHz >> 16) & 0xff, rateHz >>> 24, 0, 0]);

/** `junk` bytes, then an MPEG audio frame header with the given version bits (3 = MPEG-1), layer III, rate index. */
function mp3(version: number, rateIndex: number, junk: number[] = []): Uint8Array {
  return Uint8Array.from([...junk, 0xff, 0xe0 | (version << 3) | (1 << 1) | 1, (9 << 4) | (rateIndex << 2), 0x44, 0, 0]);
}
/** An ID3v2 tag of `size` bytes (syncsafe), whose body happens to contain a false frame sync. */
const id3 = (size: number) => [...ascii('ID3'), 4, 0, 0, 0, 0, 0, size, ...new Array<number>(size).fill(0xff)];

describe('sniffSampleRateHz: the rate a compressed file declares, read before the browser decodes it', () => {
  test.each([
    ['FLAC 44.1 kHz', flac(44100), 44100],
    ['FLAC 96 kHz', flac(96000), 96000],
    ['Ogg Vorbis 22.05 kHz', vorbis(22050), 22050],
    ['Ogg Opus (always 48 kHz)', ogg([...ascii('OpusHead'), 1, 2, 0, 0, 0x80, 0xbb, 0, 0]), 48000],
    ['MP3, MPEG-1, 48 kHz', mp3(3, 1), 48000],
    ['MP3, MPEG-2, 16 kHz, after junk', mp3(2, 2, [0, 1, 2]), 16000],
    ['MP3, MPEG-2.5, 8 kHz, after an ID3v2 tag full of 0xff', Uint8Array.from([...id3(16), ...mp3(0, 2)]), 8000],
    ['MP3 with the reserved rate index 3 only', mp3(3, 3), undefined],
    ['ADTS AAC (layer 0) is not MP3', Uint8Array.from([0xff, 0xf1, 0x50, 0x80, 0, 0]), undefined],
    ['a truncated FLAC header', flac(44100).subarray(0, 12), undefined],
    ['WebM', Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 0, 0]), undefined],
    ['nothing', new Uint8Array(0), undefined],
  ])('%s', (_, bytes, rateHz) => {
    expect(sniffSampleRateHz(bytes)).toBe(rateHz);
  });
});
