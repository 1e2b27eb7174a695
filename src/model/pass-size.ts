import type { MsseConfig } from './config.ts';

/**
 * Bytes of the largest tensor an MS-SENet pass over `batch` examples of `frames` frames holds: a TF-fusion path's
 * conv2d output (B, T, F, C) float32, or the (B, T, 3F, C) concatenation of the paths when the concatenated sites
 * are built (golden checks, `inspect --dump`). Every other activation, gradient and pooled buffer of the pass is
 * at most this size (the TABs work on (B, T, C)), so it is what must fit one storage binding of a device.
 */
export function largestTensorBytes(config: MsseConfig, batch: number, frames: number, concatenatedSites = false): number {
  const paths = concatenatedSites ? config.tfKernels.length : 1;
  return 4 * batch * frames * config.feat * paths * config.filters;
}
