/**
 * The cases every implementation runs, in the same order on the same input: its logits checked against msse's
 * float64 reference first; then `inference` (the network alone, MFCCs in and logits out, batch 1 rotating through
 * the utterances, and batch LARGE_BATCH) and `end-to-end` (one utterance's WAV samples through msse's front end,
 * the implementation's network and a softmax). An implementation whose logits disagree is reported, not timed.
 */
import { relativeError } from '../../src/check/compare.ts';
import { softmax } from '../../src/infer/predict.ts';
import type { NetworkImpl, OpCount } from './impls.ts';
import { example, firstExamples, type BenchInput } from './input.ts';
import { implLabel, type BenchRow, type CaseName } from './rows.ts';
import { LARGE_BATCH, PARITY_TOLERANCE, type BenchSettings, type Suite } from './settings.ts';
import { timeTask, type Timing } from './timing.ts';

export interface NetworkResult {
  readonly rows: BenchRow[];
  readonly parity: number;
  /** What a batch-1 forward is made of; undefined when the implementation was not timed. */
  readonly ops: OpCount | undefined;
}

/** One row of `impl` for `kase` at `batch`: timed, or null timings and a note. */
export function implRow(
  impl: Pick<NetworkImpl, 'spec'>,
  suite: Suite,
  kase: CaseName,
  batch: number,
  parity: number | null,
  measured: Timing | { note: string },
): BenchRow {
  const timing = 'meanMs' in measured ? { mean_ms: measured.meanMs, p99_ms: measured.p99Ms, samples: measured.samples } : { mean_ms: null, p99_ms: null, samples: 0 };
  return { suite, case: kase, ...impl.spec, batch, ...timing, parity, ...('note' in measured ? { note: measured.note } : {}) };
}

/**
 * Checks `impl`'s logits on the first `settings.parityBatch` utterances against `reference` (msse's float64
 * logits of the same batch), then times it. `log` gets one line per case as it starts.
 */
export async function measureNetwork(
  impl: NetworkImpl,
  input: BenchInput,
  reference: ArrayLike<number>,
  settings: BenchSettings,
  suite: Suite,
  log: (line: string) => void,
): Promise<NetworkResult> {
  const label = implLabel(impl.spec);
  const { parityBatch } = settings;
  log(`${label}: parity on ${parityBatch} utterances`);
  const parity = relativeError(await impl.logits(firstExamples(input, parityBatch), parityBatch), reference);
  const row = (kase: CaseName, batch: number, measured: Timing | { note: string }) => implRow(impl, suite, kase, batch, parity, measured);
  if (!(parity <= PARITY_TOLERANCE)) {
    const note = { note: `logits differ from msse's float64 reference by ${parity.toExponential(2)} (relative), over ${PARITY_TOLERANCE}: not timed` };
    return { rows: [row('inference', 1, note), row('inference', LARGE_BATCH, note), row('end-to-end', 1, note)], parity, ops: undefined };
  }
  log(`${label}: inference, batch 1`);
  const single = await timeTask(`${label} inference B=1`, (i) => impl.logits(example(input, i), 1), settings.single);
  log(`${label}: inference, batch ${LARGE_BATCH}`);
  const large = await timeTask(`${label} inference B=${LARGE_BATCH}`, () => impl.logits(firstExamples(input, LARGE_BATCH), LARGE_BATCH), settings.large);
  log(`${label}: end-to-end, batch 1`);
  const { lengthSamples } = input.checked;
  const endToEnd = await timeTask(
    `${label} end-to-end B=1`,
    async (i) => {
      const wav = input.wavs[i % input.wavs.length]!;
      return softmax(await impl.logits(input.extractor.mfcc(wav.samples, wav.sampleRateHz, lengthSamples), 1));
    },
    settings.single,
  );
  const ops = await impl.opCount(example(input, 0));
  return { rows: [row('inference', 1, single), row('inference', LARGE_BATCH, large), row('end-to-end', 1, endToEnd)], parity, ops };
}
