/**
 * Writes an output file without destroying what it does not own (README "Errors", output rules):
 *
 * - a character device or FIFO is written through: opened and written, never replaced by a regular file;
 * - a regular file, new or existing, directly or behind symbolic links, is replaced atomically: the bytes go to
 *   `.NAME.PID.tmp` beside the final target, are fsynced, renamed over the target, and the folder is fsynced; so
 *   readers, and a run resumed after a kill or a power cut, see the old content or the new, never a mix. A link
 *   stays a link; an existing file keeps its permission bits;
 * - anything else (a folder, a socket) is refused (output-target.ts).
 *
 * Every failure is an OutputError naming the path as given, in plain words (`read-only file system (EROFS)`), never
 * the temporary; a failed write removes its temporary, and temporaries of the same output left by processes that
 * no longer run (killed mid-write) are removed before writing.
 */
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { OutputError } from '../../errors.ts';
import { describeFsError, fsErrorCode } from './fs-error.ts';
import { outputTarget, siblingPath, targetParts } from './output-target.ts';
import { processIsAlive } from './process-alive.ts';

export interface WriteOutputOptions {
  /**
   * fsync the file before the rename and the folder after it (default true: models, checkpoints, reports). A cache
   * that checks its entries on read may skip it: a torn entry after a power cut is a miss, not a wrong result.
   */
  readonly durable?: boolean;
  /**
   * Remove `.NAME.PID.tmp` of dead processes first (default true). It lists the folder, so a cache writing
   * thousands of entries into one folder sweeps it once itself (removeStaleTemporaries) and passes false.
   */
  readonly sweep?: boolean;
}

/**
 * Writes `data` to the output `path` by the rules above.
 * @throws OutputError naming `path`
 */
export function writeOutputFile(path: string, data: Uint8Array | string, options: WriteOutputOptions = {}): void {
  const output = outputTarget(path);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fail = (what: string, cause: unknown): never => {
    throw new OutputError(`${what}: ${describeFsError(cause)}`, { file: path, cause, code: fsErrorCode(cause) });
  };
  if (output.kind === 'device' || output.kind === 'fifo') {
    try {
      writeFileSync(output.target, bytes);
    } catch (cause) {
      fail('cannot write', cause);
    }
    return;
  }

  const { dir, name } = targetParts(output.target);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (cause) {
    fail(`cannot create the folder ${dir}`, cause);
  }
  if (options.sweep !== false) removeStaleTemporaries(dir, name);
  const temporary = siblingPath(output.target, `${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    rmSync(temporary, { force: true }); // ours from an earlier failed write of this process
    fd = openSync(temporary, 'wx');
    if (output.stats !== undefined) fchmodSync(fd, output.stats.mode & 0o7777);
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    if (options.durable !== false) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, output.target);
  } catch (cause) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    fail('cannot write', cause);
  }
  if (options.durable !== false) syncFolder(dir, path);
}

/**
 * Removes `.NAME.PID.tmp` files in `dir` whose process no longer runs (all names when `name` is undefined): what a
 * write killed between its temporary and its rename leaves. Temporaries of running processes are theirs.
 */
export function removeStaleTemporaries(dir: string, name?: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return; // no folder, no temporaries
  }
  for (const entry of entries) {
    const match = /^\.(.+)\.(\d+)\.tmp$/.exec(entry);
    if (match === null || (name !== undefined && match[1] !== name)) continue;
    const pid = Number(match[2]);
    if (pid !== process.pid && !processIsAlive(pid)) rmSync(join(dir, entry), { force: true });
  }
}

/** fsyncs a folder, so that a rename in it survives a power cut. */
function syncFolder(dir: string, path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (cause) {
    throw new OutputError(`written, but the folder ${dir} could not be synced: ${describeFsError(cause)}`, { file: path, cause, code: fsErrorCode(cause) });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
