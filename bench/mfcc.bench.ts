// MFCC of one 96000-sample utterance: our WASM front end vs our float64 TypeScript specification vs Meyda, side by
// side in one process; then the whole EMO-DB folder (decode + MFCC of every file) with the WASM front end.
// Meyda computes per frame with its own conventions (its own mel bank, no centre padding, no dB floor), so only its
// timing is comparable: it runs the same 188 frames of 2048 samples, hop 512, 128 mel bands, 39 coefficients.
// Usage: node bench/run.mjs mfcc [--emodb DIR]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Meyda from 'meyda';
import { Bench } from 'tinybench';
import { fitLength } from '../src/audio/fit-length.ts';
import { DEFAULT_LENGTH_SAMPLES, HOP_LENGTH, N_FFT, N_MELS, N_MFCC, SAMPLE_RATE_HZ, frameCount } from '../src/audio/mfcc-settings.ts';
import { mfccReference } from '../src/audio/mfcc-reference.ts';
import { createMfccExtractor } from '../src/platform/node/mfcc.ts';
import { readWavFile } from '../src/platform/node/wav-file.ts';
import { machineLine } from './machine.ts';

const emodbFolder = process.argv.includes('--emodb') ? process.argv[process.argv.indexOf('--emodb') + 1]! : '../shared/data/emodb/wav';
const utterance = readWavFile(join(emodbFolder, '03a01Wa.wav'));
const extractor = await createMfccExtractor();

function meydaMfcc(samples: Float32Array): number[][] {
  const padded = new Float32Array(DEFAULT_LENGTH_SAMPLES + N_FFT);
  padded.set(fitLength(samples, DEFAULT_LENGTH_SAMPLES), N_FFT / 2);
  const frames: number[][] = [];
  for (let t = 0; t < frameCount(DEFAULT_LENGTH_SAMPLES); t++) {
    const frame = padded.subarray(t * HOP_LENGTH, t * HOP_LENGTH + N_FFT);
    frames.push(Meyda.extract('mfcc', frame)!.mfcc as number[]);
  }
  return frames;
}
Object.assign(Meyda, { bufferSize: N_FFT, sampleRate: SAMPLE_RATE_HZ, melBands: N_MELS, numberOfMFCCCoefficients: N_MFCC, windowingFunction: 'hanning' });

const bench = new Bench({ time: 3000, warmupTime: 500 });
bench
  .add('wasm (AssemblyScript, f32 FFT, SIMD)', () => { extractor.mfcc(utterance.samples, utterance.sampleRateHz); })
  .add('typescript float64 reference', () => { mfccReference(utterance.samples, utterance.sampleRateHz); })
  .add('meyda 5.6.3 (per frame, own conventions)', () => { meydaMfcc(utterance.samples); });
await bench.run();

const rows = bench.tasks.map((task) => {
  const result = task.result as unknown as { latency: { mean: number; p99: number; samplesCount?: number } };
  return { name: task.name, mean: result.latency.mean, p99: result.latency.p99 };
});
const wasm = rows[0]!;
console.log(`machine: ${machineLine()}`);
console.log('| implementation | mean ms | p99 ms | mean / wasm mean |');
console.log('| --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${row.name} | ${row.mean.toFixed(3)} | ${row.p99.toFixed(3)} | ${(row.mean / wasm.mean).toFixed(1)}x |`);

// Whole folder: decode + MFCC, one thread, best of 5 passes.
const files = readdirSync(emodbFolder).filter((f) => f.endsWith('.wav')).sort();
const passesMs: number[] = [];
for (let pass = 0; pass < 5; pass++) {
  const started = performance.now();
  for (const file of files) {
    const wav = readWavFile(join(emodbFolder, file));
    extractor.mfcc(wav.samples, wav.sampleRateHz);
  }
  passesMs.push(performance.now() - started);
}
passesMs.sort((a, b) => a - b);
console.log(`\nEMO-DB, ${files.length} files, decode + WASM MFCC, one thread: best ${(passesMs[0]! / 1000).toFixed(3)} s, median ${(passesMs[2]! / 1000).toFixed(3)} s of 5 passes`);
