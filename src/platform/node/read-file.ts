import { readFileSync } from 'node:fs';
import type { MsseError } from '../../errors.ts';

/** Plain words for the read errors people actually hit; anything else is shown by its code. */
const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
};

/**
 * Reads a whole file; failure becomes the caller's error type naming the file,
 * e.g. `a.wav: cannot read file: no such file (ENOENT)`.
 */
export function readFileOr(path: string, error: new (message: string, options: { file: string; cause: unknown }) => MsseError): Uint8Array {
  try {
    return readFileSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unknown error';
    const words = READ_ERRORS[code];
    throw new error(`cannot read file: ${words === undefined ? code : `${words} (${code})`}`, { file: path, cause });
  }
}
