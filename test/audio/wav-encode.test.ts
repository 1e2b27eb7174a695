import { describe, expect, test } from 'vitest';
import { decodeWav } from '../../src/audio/wav.ts';
import { encodeWavFloat32 } from '../../src/audio/wav-encode.ts';

describe('encodeWavFloat32', () => {
  test.each([[0, 8000], [1, 44100], [4097, 48000]])('%i samples at %i Hz decode back exactly', (n, rate) => {
    const samples = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 0.9 - 1e-7 * i);
    if (n === 0) {
      expect(() => decodeWav(encodeWavFloat32(samples, rate), 'x.wav')).toThrowError('no samples');
      return;
    }
    const wav = decodeWav(encodeWavFloat32(samples, rate), 'x.wav');
    expect(wav).toEqual({ sampleRateHz: rate, channels: 1, sourceFormat: 'float 32-bit', samples });
  });
});
