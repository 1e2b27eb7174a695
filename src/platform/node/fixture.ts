import { readFile } from 'node:fs/promises';
import { loadFixture, type Fixture } from '../../io/fixture.ts';

/** Reads a golden fixture folder (../shared/golden/<name>) from disk. */
export function readFixture(dir: string): Promise<Fixture> {
  return loadFixture(dir.replace(/\/+$/, ''), async (path) => new Uint8Array(await readFile(path)));
}
