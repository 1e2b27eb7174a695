import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root and the shared data beside it (golden fixtures and EMO-DB are read in place, never copied). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const sharedRoot = join(repoRoot, '..', 'shared');
export const goldenMfccDir = join(sharedRoot, 'golden', 'mfcc');
export const emodbWavDir = join(sharedRoot, 'data', 'emodb', 'wav');

/** A path under ../shared that must exist: a missing fixture fails the test with its path, never skips it. */
export function sharedPath(...parts: string[]): string {
  const path = join(sharedRoot, ...parts);
  if (!existsSync(path)) throw new Error(`missing shared data: ${path}`);
  return path;
}
