/**
 * `mfcc`: msse's WebAssembly front end (build/mfcc.wasm) on one utterance, rotating through the input's WAVs: WAV
 * samples to (T, 39) MFCCs. Its parity is against the float64 TypeScript specification (src/audio/mfcc-reference.ts)
 * on the first utterance. The peers have no front end (they get msse's in end-to-end and cold-start).
 */
import { mfccReference } from '../../src/audio/mfcc-reference.ts';
import { relativeError } from '../../src/check/compare.ts';
import type { BenchInput } from './input.ts';
import type { BenchRow } from './rows.ts';
import type { BenchSettings, Suite } from './settings.ts';
import { timeTask } from './timing.ts';

export async function measureMfcc(input: BenchInput, settings: BenchSettings, suite: Suite): Promise<BenchRow> {
  const { lengthSamples } = input.checked;
  const first = input.wavs[0]!;
  const parity = relativeError(input.extractor.mfcc(first.samples, first.sampleRateHz, lengthSamples), mfccReference(first.samples, first.sampleRateHz, lengthSamples));
  const timing = await timeTask(
    'msse mfcc',
    (i) => {
      const wav = input.wavs[i % input.wavs.length]!;
      return input.extractor.mfcc(wav.samples, wav.sampleRateHz, lengthSamples);
    },
    settings.mfcc,
  );
  return { suite, case: 'mfcc', impl: 'msse', backend: 'wasm', threads: 1, batch: 1, mean_ms: timing.meanMs, p99_ms: timing.p99Ms, samples: timing.samples, parity };
}
