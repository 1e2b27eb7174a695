import type { MfccExtractor } from '../audio/mfcc-wasm.ts';
import { createModel } from './model.ts';
import { openInference, type InferencePlatform } from './open-backend.ts';
import type { LoadOptions, MsseModel } from './types.ts';

/** A model file's bytes and the name errors give it. */
export interface ModelBytes {
  readonly bytes: Uint8Array;
  readonly file: string;
}

/**
 * loadModel's common path, given what the platform entry (src/node.ts, src/browser.ts) fetched: the model's
 * bytes, the front end and the platform's GPU and shaders. The backend opens only once the file has been read.
 */
export async function loadFrom(
  model: ModelBytes,
  extractor: MfccExtractor,
  platform: InferencePlatform,
  options: LoadOptions,
): Promise<MsseModel> {
  options.onProgress?.({ loadedBytes: model.bytes.length, totalBytes: model.bytes.length });
  const open = await openInference(options.backend ?? 'auto', platform, options);
  try {
    return createModel(model.bytes, model.file, open, extractor);
  } catch (error) {
    open.close();
    throw error;
  }
}
