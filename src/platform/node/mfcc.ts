/** Node entry to the WebAssembly MFCC front end: the same extractor, with build/mfcc.wasm read from the package. */
import { readAsset } from './assets.ts';
import { createMfccExtractor as createFromBytes, type MfccExtractor } from '../../audio/mfcc-wasm.ts';
import type { DecodedWav } from '../../audio/wav.ts';
import { InternalError, MsseError } from '../../errors.ts';

/** `createMfccExtractor` of mfcc-wasm.ts; `wasmBytes` defaults to the package's build/mfcc.wasm. */
export function createMfccExtractor(wasmBytes: Uint8Array = readAsset('build/mfcc.wasm')): Promise<MfccExtractor> {
  return createFromBytes(wasmBytes);
}

/**
 * The MFCCs of one file's decoded audio (MfccExtractor.mfcc). Anything the front end throws that is not an
 * MsseError (a WebAssembly trap such as `memory access out of bounds`, a RangeError: a bug, or a limit no reader
 * caught) becomes an InternalError naming the file, so that the one line says which file it was.
 * @throws InternalError naming `file`
 */
export function fileMfcc(extractor: MfccExtractor, file: string, wav: DecodedWav, lengthSamples: number): Float32Array {
  try {
    return extractor.mfcc(wav.samples, wav.sampleRateHz, lengthSamples);
  } catch (cause) {
    if (cause instanceof MsseError) throw cause;
    const text = cause instanceof Error ? `${cause.name}: ${cause.message.split('\n')[0]}` : String(cause);
    throw new InternalError(`the MFCC front end failed (${text}); this is a bug in msse`, { file, cause });
  }
}
