// librosa's Slaney mel filterbank (float32, as librosa returns it) against golden/mfcc/mel_filterbank.f32.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { hzToMel, melToHz, slaneyMelFilterbank, sparseSlaneyMelFilterbank } from '../../src/audio/mel-filterbank.ts';
import { N_BINS, N_MELS } from '../../src/audio/mfcc-settings.ts';
import { float32FromLittleEndian } from '../../src/io/float32-file.ts';
import { sharedPath } from '../support/paths.ts';

describe('Slaney mel scale', () => {
  // librosa.hz_to_mel(htk=False) documents hz_to_mel(60) = 0.9; 1000 Hz is the break (15 mels); 6400 Hz = 15 + 27.
  test.each([
    [0, 0],
    [60, 0.9],
    [1000, 15],
    [6400, 42],
  ])('%f Hz = %f mel, and back', (hz, mel) => {
    expect(hzToMel(hz)).toBeCloseTo(mel, 12);
    expect(melToHz(mel)).toBeCloseTo(hz, 9);
  });
});

describe('slaneyMelFilterbank', () => {
  const dense = slaneyMelFilterbank();

  test('matches golden mel_filterbank.f32 to 1e-6 absolute (measured: bit-identical)', () => {
    const golden = float32FromLittleEndian(readFileSync(sharedPath('golden', 'mfcc', 'mel_filterbank.f32')));
    expect(dense).toHaveLength(N_MELS * N_BINS);
    expect(golden).toHaveLength(N_MELS * N_BINS);
    let worst = 0;
    for (let i = 0; i < golden.length; i++) worst = Math.max(worst, Math.abs(dense[i] - golden[i]));
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  test('the sparse form holds exactly the nonzero run of every band', () => {
    const sparse = sparseSlaneyMelFilterbank();
    const rebuilt = new Float32Array(N_MELS * N_BINS);
    for (let m = 0; m < N_MELS; m++) {
      expect(sparse.binCount[m], `band ${m}`).toBeGreaterThan(0);
      const band = sparse.weights.subarray(sparse.weightOffset[m], sparse.weightOffset[m] + sparse.binCount[m]);
      expect(band[0], `band ${m} first`).not.toBe(0);
      expect(band[band.length - 1], `band ${m} last`).not.toBe(0);
      rebuilt.set(band, m * N_BINS + sparse.firstBin[m]);
    }
    expect(sparse.weightOffset[N_MELS - 1] + sparse.binCount[N_MELS - 1]).toBe(sparse.weights.length);
    expect(rebuilt).toEqual(dense);
  });
});
