/** Node-side WAV reading: the file system part kept apart from the pure decoder, so the browser bundle skips it. */
import { readFileSync } from 'node:fs';
import { WavError } from '../errors.ts';
import { decodeWav, type DecodedWav } from './wav.ts';

/** Plain words for the errors people actually hit; anything else is shown by its code. */
const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
};

/**
 * Reads and decodes a WAV file (see decodeWav for the formats).
 * @throws WavError naming `path` when it cannot be read or decoded
 */
export function readWavFile(path: string): DecodedWav {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unknown error';
    const words = READ_ERRORS[code];
    throw new WavError(`cannot read file: ${words === undefined ? code : `${words} (${code})`}`, { file: path, cause });
  }
  return decodeWav(bytes, path);
}
