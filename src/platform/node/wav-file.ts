/** Node-side WAV reading: the file system part kept apart from the pure decoder, so the browser bundle skips it. */
import { WavError } from '../../errors.ts';
import { readFileOr } from './read-file.ts';
import { decodeWav, type DecodedWav } from '../../audio/wav.ts';

/**
 * Reads and decodes a WAV file (see decodeWav for the formats).
 * @throws WavError naming `path` when it cannot be read or decoded
 */
export function readWavFile(path: string): DecodedWav {
  return decodeWav(readFileOr(path, WavError), path);
}
