import { readFileSync } from 'node:fs';
import type { MsseError } from '../../errors.ts';
import { describeFsError } from './fs-error.ts';

/**
 * Reads a whole file; failure becomes the caller's error type naming the file,
 * e.g. `a.wav: cannot read file: no such file (ENOENT)`.
 */
export function readFileOr(path: string, error: new (message: string, options: { file: string; cause: unknown }) => MsseError): Uint8Array {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new error(`cannot read file: ${describeFsError(cause)}`, { file: path, cause });
  }
}
