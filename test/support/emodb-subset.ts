import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { emodbWavDir, sharedPath } from './paths.ts';

/** The first `perClass` EMO-DB files (sorted by name) of each emotion code. */
export function pickEmodb(perClass: number): string[] {
  const names = readdirSync(sharedPath('data', 'emodb', 'wav')).sort();
  return [...'WLEAFTN'].flatMap((code) => names.filter((n) => n.charAt(5) === code).slice(0, perClass));
}

/** Creates `dir` holding symlinks to EMO-DB files (`{ linkName: emodbName }`): the data is read in place, never copied. */
export function linkEmodb(dir: string, files: Record<string, string>): string {
  mkdirSync(dir);
  for (const [link, target] of Object.entries(files)) symlinkSync(join(emodbWavDir, target), join(dir, link));
  return dir;
}
