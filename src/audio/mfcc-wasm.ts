/**
 * The WebAssembly MFCC front end (kernels/ → build/mfcc.wasm): TIM-Net's 39 MFCCs per frame, float32, the same
 * algorithm as the float64 specification in mfcc-reference.ts. This module is browser-safe: it takes the module's
 * bytes; `mfcc-wasm-node.ts` reads them from the package in Node.
 *
 * Division of work. JavaScript builds the Slaney filterbank (mel-filterbank.ts, the one definition) and copies it
 * into the module once; it applies the length rule (fit-length.ts) and picks the resampling ratio
 * (resample-reference.ts). The module designs the resampling kernel for a ratio, resamples, and runs the STFT,
 * mel, dB and DCT stages. Its work memory is laid out by `reserve` for the largest call so far and reused: calls
 * of a size already seen neither allocate in the module nor grow its memory. After a growth the module's
 * ArrayBuffer is replaced and every view on the old one is detached, so views are re-created from `memory.buffer`.
 */
import { fitLength } from './fit-length.ts';
import { sparseSlaneyMelFilterbank } from './mel-filterbank.ts';
import { DEFAULT_LENGTH_SAMPLES, HOP_LENGTH, N_BINS, N_FFT, N_MELS, N_MFCC, frameCount } from './mfcc-settings.ts';
import { resampleRatio, resampledLength } from './resample-reference.ts';
import { invariant } from '../errors.ts';

/** A mono signal at its own rate. */
export interface MfccSignal {
  readonly samples: Float32Array;
  /** A positive integer; anything but 22050 is resampled to 22050 Hz first. */
  readonly sampleRateHz: number;
}

/** One instantiated front end; not safe to share between concurrent callers (one work memory). */
export interface MfccExtractor {
  /**
   * MFCCs of `samples` (mono, at `sampleRateHz`) after resampling to 22050 Hz and fitting to `lengthSamples`:
   * frameCount(lengthSamples) x N_MFCC float32, frames-major (188 x 39 for the default 96000).
   */
  mfcc(samples: Float32Array, sampleRateHz: number, lengthSamples?: number): Float32Array;
  /** `mfcc` of each signal, in order, with one instance and at most one memory growth. */
  mfccBatch(signals: readonly MfccSignal[], lengthSamples?: number): Float32Array[];
  /**
   * `samples` (mono, at `sampleRateHz`) resampled to 22050 Hz by the module's port of resample-reference.ts:
   * ceil(n · 22050 / sampleRateHz) float32 samples (a copy when the rate already is 22050 Hz).
   */
  resample(samples: Float32Array, sampleRateHz: number): Float32Array;
  /**
   * The dB stage of the last `mfcc` call, after the top_db floor: frameCount(L) x N_MELS float64, frames-major
   * (what `../shared/golden/mfcc/*.db.f32` holds). Empty before the first call.
   */
  lastDb(): Float64Array;
  /** Current size of the module's linear memory in bytes. */
  memoryBytes(): number;
}

/** The raw exports of build/mfcc.wasm (kernels/mfcc.ts documents each); pointers are byte offsets. */
interface MfccExports {
  readonly memory: WebAssembly.Memory;
  readonly N_FFT: WebAssembly.Global;
  readonly HOP_LENGTH: WebAssembly.Global;
  readonly N_MELS: WebAssembly.Global;
  readonly N_MFCC: WebAssembly.Global;
  init(): void;
  setMelBand(m: number, firstBin: number, binCount: number): number;
  reserve(inputCap: number, padCap: number, phaseCap: number, resampledCap: number, lengthCap: number): number;
  resampleTaps(up: number, down: number): number;
  prepareResampler(up: number, down: number): void;
  resampleToRate(n: number, up: number, down: number, nOut: number): void;
  extract(lengthSamples: number): void;
  melRowPtr(): number;
  resampleInputPtr(): number;
  resampledPtr(): number;
  signalPtr(): number;
  dbPtr(): number;
  mfccPtr(): number;
}

/** Element counts the work region must hold (the arguments of the module's `reserve`). */
interface Capacity {
  inputCap: number;
  padCap: number;
  phaseCap: number;
  resampledCap: number;
  lengthCap: number;
}
const CAPACITY_FIELDS = ['inputCap', 'padCap', 'phaseCap', 'resampledCap', 'lengthCap'] as const;

/** What one call needs: its capacity and, for a resampled input, the ratio. */
interface CallPlan {
  readonly need: Capacity;
  readonly up: number;
  readonly down: number;
}

/**
 * Instantiates build/mfcc.wasm from its bytes and loads the filterbank.
 * @throws InternalError when the module's constants disagree with mfcc-settings.ts (a stale build)
 */
export async function createMfccExtractor(wasmBytes: Uint8Array): Promise<MfccExtractor> {
  // compile + instantiate(module): the Module overload returns the Instance alone, and bytes from
  // readFileSync are typed ArrayBufferLike though never shared.
  const module = await WebAssembly.compile(wasmBytes as Uint8Array<ArrayBuffer>);
  const instance = await WebAssembly.instantiate(module, {});
  const wasm = instance.exports as unknown as MfccExports;
  const constants = { N_FFT, HOP_LENGTH, N_MELS, N_MFCC } as const;
  for (const [name, value] of Object.entries(constants)) {
    const built = (wasm[name as keyof typeof constants].value as number) | 0;
    invariant(built === value, `build/mfcc.wasm has ${name} = ${built}, mfcc-settings.ts ${value}: rebuild with npm run build:wasm`);
  }
  wasm.init();
  loadFilterbank(wasm);
  return new WasmMfccExtractor(wasm);
}

/** The target length L of the length rule must be a positive integer (fitLength's own check comes too late here). */
function checkLength(lengthSamples: number): void {
  if (!Number.isInteger(lengthSamples) || lengthSamples <= 0) {
    throw new RangeError(`mfcc: length ${lengthSamples} samples; expected a positive integer`);
  }
}

/** Copies the sparse filterbank into the module, band by band through its staging row. */
function loadFilterbank(wasm: MfccExports): void {
  const bank = sparseSlaneyMelFilterbank();
  const row = new Float32Array(wasm.memory.buffer, wasm.melRowPtr() >>> 0, N_BINS);
  for (let m = 0; m < N_MELS; m++) {
    const count = bank.binCount[m]!;
    row.set(bank.weights.subarray(bank.weightOffset[m]!, bank.weightOffset[m]! + count));
    const stored = wasm.setMelBand(m, bank.firstBin[m]!, count);
    invariant(stored >= 0, `mfcc-wasm: mel band ${m} (bins ${bank.firstBin[m]}+${count}) does not fit the module's table`);
  }
}

class WasmMfccExtractor implements MfccExtractor {
  private readonly wasm: MfccExports;
  private capacity: Capacity = { inputCap: 0, padCap: 0, phaseCap: 0, resampledCap: 0, lengthCap: 0 };
  /** `${up}/${down}` of the phase table in the module, if still valid. */
  private preparedRatio: string | undefined;
  private f32 = new Float32Array(0);
  private f64 = new Float64Array(0);
  private lastLengthSamples = 0;

  constructor(wasm: MfccExports) {
    this.wasm = wasm;
  }

  mfcc(samples: Float32Array, sampleRateHz: number, lengthSamples: number = DEFAULT_LENGTH_SAMPLES): Float32Array {
    checkLength(lengthSamples);
    const plan = this.plan(samples.length, sampleRateHz, lengthSamples);
    this.ensureCapacity(plan.need);
    return this.run(samples, plan, lengthSamples);
  }

  mfccBatch(signals: readonly MfccSignal[], lengthSamples: number = DEFAULT_LENGTH_SAMPLES): Float32Array[] {
    checkLength(lengthSamples);
    const plans = signals.map((s) => this.plan(s.samples.length, s.sampleRateHz, lengthSamples));
    const need = { ...this.capacity };
    for (const plan of plans) for (const field of CAPACITY_FIELDS) need[field] = Math.max(need[field], plan.need[field]);
    this.ensureCapacity(need);
    // Signals of one ratio run together, so each kernel is designed once; results keep the input order.
    const order = signals.map((_, i) => i).sort((a, b) => plans[a]!.up - plans[b]!.up || plans[a]!.down - plans[b]!.down);
    const results = new Array<Float32Array>(signals.length);
    for (const i of order) results[i] = this.run(signals[i]!.samples, plans[i]!, lengthSamples);
    return results;
  }

  resample(samples: Float32Array, sampleRateHz: number): Float32Array {
    const plan = this.plan(samples.length, sampleRateHz, 0);
    this.ensureCapacity(plan.need);
    return this.resampleInModule(samples, plan).slice();
  }

  lastDb(): Float64Array {
    if (this.lastLengthSamples === 0) return new Float64Array(0);
    const base = this.wasm.dbPtr() >>> 3;
    return this.f64.slice(base, base + frameCount(this.lastLengthSamples) * N_MELS);
  }

  memoryBytes(): number {
    return this.wasm.memory.buffer.byteLength;
  }

  /** Capacity and ratio for one input; `lengthSamples` 0 when the call stops after resampling. */
  private plan(inputSamples: number, sampleRateHz: number, lengthSamples: number): CallPlan {
    const { up, down } = resampleRatio(sampleRateHz);
    if (up === 1 && down === 1) {
      return { need: { inputCap: 0, padCap: 0, phaseCap: 0, resampledCap: 0, lengthCap: lengthSamples }, up, down };
    }
    const taps = this.wasm.resampleTaps(up, down);
    const need = {
      inputCap: inputSamples,
      padCap: taps,
      phaseCap: up * taps,
      resampledCap: resampledLength(inputSamples, sampleRateHz),
      lengthCap: lengthSamples,
    };
    return { need, up, down };
  }

  /** Re-lays out the work region when `need` exceeds it in any field (keeping every field's maximum). */
  private ensureCapacity(need: Capacity): void {
    if (CAPACITY_FIELDS.some((field) => need[field] > this.capacity[field])) {
      const grown = { ...this.capacity };
      for (const field of CAPACITY_FIELDS) grown[field] = Math.max(grown[field], need[field]);
      const ok = this.wasm.reserve(grown.inputCap, grown.padCap, grown.phaseCap, grown.resampledCap, grown.lengthCap);
      if (ok !== 1) throw new RangeError(`mfcc: WebAssembly memory cannot grow to hold ${JSON.stringify(grown)} (elements)`);
      this.capacity = grown;
      // The regions moved: the phase table and the last dB stage are gone.
      this.preparedRatio = undefined;
      this.lastLengthSamples = 0;
    }
    if (this.f32.buffer !== this.wasm.memory.buffer) {
      this.f32 = new Float32Array(this.wasm.memory.buffer);
      this.f64 = new Float64Array(this.wasm.memory.buffer);
    }
  }

  /** One signal through the module; the capacity for `plan` is already reserved. */
  private run(samples: Float32Array, plan: CallPlan, lengthSamples: number): Float32Array {
    const { wasm, f32 } = this;
    f32.set(fitLength(this.resampleInModule(samples, plan), lengthSamples), wasm.signalPtr() >>> 2);
    wasm.extract(lengthSamples);
    this.lastLengthSamples = lengthSamples;
    const at = wasm.mfccPtr() >>> 2;
    return f32.slice(at, at + frameCount(lengthSamples) * N_MFCC);
  }

  /** The 22050 Hz signal: `samples` itself, or a view of the module's RESAMPLED region (valid until the next call). */
  private resampleInModule(samples: Float32Array, plan: CallPlan): Float32Array {
    const { wasm, f32 } = this;
    const { up, down } = plan;
    if (up === 1 && down === 1) return samples;
    const ratio = `${up}/${down}`;
    if (this.preparedRatio !== ratio) {
      wasm.prepareResampler(up, down);
      this.preparedRatio = ratio;
    }
    f32.set(samples, wasm.resampleInputPtr() >>> 2);
    const nOut = plan.need.resampledCap;
    wasm.resampleToRate(samples.length, up, down, nOut);
    const at = wasm.resampledPtr() >>> 2;
    return f32.subarray(at, at + nOut);
  }
}
