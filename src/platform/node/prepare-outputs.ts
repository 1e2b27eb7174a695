/**
 * What a command does with its outputs before any work, so that an output problem costs nothing and nothing the
 * user has is lost (README "Errors", output rules): each output is something msse may write (output-target.ts), no
 * two outputs are the same file, none is one of the command's inputs (compared by real path and by device and
 * inode, so links, hard links and `./` spellings count), the folder each goes in exists or can be created and can be
 * written (it is created here, as its lock goes in it), and each is locked against a second msse writing it
 * (output-lock.ts). Character devices and FIFOs are
 * written through: they are neither locked nor compared with the inputs (a terminal may be both).
 */
import { accessSync, constants, mkdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { OutputError } from '../../errors.ts';
import { describeFsError, fsErrorCode } from './fs-error.ts';
import { lockOutput, type OutputLock } from './output-lock.ts';
import { outputTarget, type OutputTarget } from './output-target.ts';

/** Outputs checked and locked; `release()` unlocks them (also done at exit). */
export interface PreparedOutputs {
  release(): void;
}

/** A regular file the command reads. */
interface InputFile {
  readonly path: string;
  readonly real: string;
  readonly stats: Stats;
}

/**
 * Checks and locks a command's outputs (paths as the user gave them, derived ones such as OUT.html included)
 * against its `inputs` (files it will read; missing ones are left to the reader to report).
 * @throws OutputError naming the output path as given
 */
export function prepareOutputs(outputs: readonly string[], options: { inputs?: readonly string[] } = {}): PreparedOutputs {
  const targets = outputs.map(outputTarget);
  const files = targets.filter((t) => t.kind === 'new' || t.kind === 'file');
  for (const [i, output] of files.entries()) {
    const earlier = files.slice(0, i).find((o) => o.target === output.target || sameFile(o.stats, output.stats));
    if (earlier !== undefined) throw new OutputError(`the output is given twice (also as ${earlier.path}); each output needs its own path`, { file: output.path });
  }
  const inputs = inputFiles(options.inputs ?? []);
  for (const output of files) {
    const input = output.kind === 'file' ? inputs.find((i) => i.real === output.target || sameFile(i.stats, output.stats)) : undefined;
    if (input !== undefined) throw new OutputError(`refusing to overwrite an input (${input.path}); choose another output path`, { file: output.path });
    expectWritableFolder(output);
  }
  const locks: OutputLock[] = [];
  const release = () => locks.splice(0).forEach((lock) => lock.release());
  try {
    for (const output of files) {
      createFolder(output);
      locks.push(lockOutput(output.target, output.path));
    }
  } catch (error) {
    release();
    throw error;
  }
  return { release };
}

function sameFile(a: Stats | undefined, b: Stats | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

function inputFiles(paths: readonly string[]): InputFile[] {
  return paths.flatMap((path) => {
    try {
      const stats = statSync(path);
      return stats.isFile() ? [{ path, real: realpathSync(path), stats }] : [];
    } catch {
      return [];
    }
  });
}

/**
 * The output's folder, or the nearest folder above it that exists (the rest is created on writing), must be a
 * folder msse can create files in.
 */
function expectWritableFolder(output: OutputTarget): void {
  const folder = dirname(output.target);
  let existing = folder;
  let stats: Stats | undefined;
  for (;;) {
    try {
      stats = statSync(existing);
      break;
    } catch (cause) {
      const parent = dirname(existing);
      if (fsErrorCode(cause) !== 'ENOENT' || parent === existing) {
        throw new OutputError(`cannot reach the folder ${existing}: ${describeFsError(cause)}`, { file: output.path, cause, code: fsErrorCode(cause) });
      }
      existing = parent;
    }
  }
  if (!stats.isDirectory()) throw new OutputError(`cannot create the folder ${folder}: ${existing} is not a folder`, { file: output.path });
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (cause) {
    const what = existing === folder ? `cannot write in ${folder}` : `cannot create the folder ${folder} in ${existing}`;
    throw new OutputError(`${what}: ${describeFsError(cause)}`, { file: output.path, cause, code: fsErrorCode(cause) });
  }
}

function createFolder(output: OutputTarget): void {
  const folder = dirname(output.target);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (cause) {
    throw new OutputError(`cannot create the folder ${folder}: ${describeFsError(cause)}`, { file: output.path, cause, code: fsErrorCode(cause) });
  }
}
