/**
 * What a path the user gave as an output names, and so how msse may write it (README "Errors", output rules):
 *
 *   new      nothing there yet (a dangling symbolic link counts: its target is created)   written atomically
 *   file     a regular file, directly or through symbolic links                             replaced atomically
 *   device   a character device (/dev/null, a terminal, /dev/full)                         written through
 *   fifo     a named pipe (also /dev/stdout when it is a pipe)                              written through
 *
 * Anything else (a folder, a socket, a block device) is refused. `target` is where the bytes go: for `new` and
 * `file` the final path after every link, so a link given as the output stays a link and its target is replaced;
 * for `device` and `fifo` the path as given, opened as it is.
 */
import { lstatSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { OutputError } from '../../errors.ts';
import { describeFsError, fsErrorCode } from './fs-error.ts';

export type OutputKind = 'new' | 'file' | 'device' | 'fifo';

export interface OutputTarget {
  /** The path as the user gave it: every message names this one. */
  readonly path: string;
  readonly kind: OutputKind;
  /** Where the bytes go (see above). */
  readonly target: string;
  /** The existing file's status (after links), for `file`, `device` and `fifo`. */
  readonly stats: Stats | undefined;
}

/** Linux's own limit on links followed in one path (MAXSYMLINKS). */
const MAX_LINKS = 40;

/**
 * Finds what `path` names as an output.
 * @throws OutputError naming `path`: a folder, a socket, a block device, a loop of links, or a path that cannot be
 *   examined (permission denied on a folder above it)
 */
export function outputTarget(path: string): OutputTarget {
  let stats: Stats | undefined;
  try {
    stats = statSync(path);
  } catch (cause) {
    if (fsErrorCode(cause) !== 'ENOENT') throw new OutputError(`cannot examine the output: ${describeFsError(cause)}`, { file: path, cause, code: fsErrorCode(cause) });
  }
  if (stats === undefined) return { path, kind: 'new', target: danglingTarget(path), stats };
  if (stats.isFile()) return { path, kind: 'file', target: realpathSync(path), stats };
  if (stats.isCharacterDevice()) return { path, kind: 'device', target: path, stats };
  if (stats.isFIFO()) return { path, kind: 'fifo', target: path, stats };
  const what = stats.isDirectory() ? 'a folder' : stats.isSocket() ? 'a socket' : stats.isBlockDevice() ? 'a block device' : 'not a regular file';
  throw new OutputError(`the output is ${what}; expected a file path (or a character device or FIFO, written through)`, { file: path });
}

/**
 * Where a write to a path that does not exist lands: the path itself, or for a dangling symbolic link the end of
 * its chain of links (so writing creates the target and the link stays).
 */
function danglingTarget(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    let link: string;
    try {
      if (!lstatSync(current).isSymbolicLink()) return current;
      link = readlinkSync(current);
    } catch {
      return current; // nothing there: this is the file to create
    }
    current = resolve(dirname(current), link);
  }
  throw new OutputError(`the output is a loop of symbolic links (more than ${MAX_LINKS}); expected a file path`, { file: path });
}

/** The folder a target's temporary file and lock file go in, and the target's own name. */
export function targetParts(target: string): { dir: string; name: string } {
  return { dir: dirname(target), name: basename(target) };
}

/** `dir/.NAME.SUFFIX`: the hidden siblings msse keeps beside an output (temporary, lock). */
export function siblingPath(target: string, suffix: string): string {
  const { dir, name } = targetParts(target);
  return join(dir, `.${name}.${suffix}`);
}
