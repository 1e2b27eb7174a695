/**
 * Lock files beside outputs, so that two msse processes writing the same output do not both report success while
 * one result is lost: `.NAME.lock` beside the output's final target, holding the owner's process id.
 *
 * Taking a lock writes `.NAME.lock.PID.tmp` and hard-links it to `.NAME.lock`: the link fails when the lock exists, and
 * the lock is never seen half-written. A lock whose process no longer runs (killed) is taken over; a live owner's
 * refuses with a line naming it. Two processes taking over the same dead owner's lock at the same instant could both
 * succeed: that needs a kill and two starts within microseconds, and is accepted.
 *
 * Locks are released by `release()`, and otherwise when the process exits, including by SIGINT or SIGTERM: the
 * handlers are installed while a lock is held, release every lock, and re-raise the signal so the process still
 * ends as the signal ends it. This module's set of held locks is the only state it keeps.
 */
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { OutputError } from '../../errors.ts';
import { describeFsError, fsErrorCode } from './fs-error.ts';
import { siblingPath } from './output-target.ts';
import { processIsAlive } from './process-alive.ts';

/** A held lock. */
export interface OutputLock {
  /** The lock file. */
  readonly file: string;
  /** Removes the lock file if it is still ours; idempotent. */
  release(): void;
}

const held = new Set<string>();

/**
 * Takes the lock of the output whose final target is `target`; `path` (as the user gave it) names it in errors.
 * @throws OutputError naming `path` when another live process holds it or the lock cannot be created
 */
export function lockOutput(target: string, path: string): OutputLock {
  const file = siblingPath(target, 'lock');
  const mine = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(mine, `${process.pid}\n`);
  } catch (cause) {
    throw new OutputError(`cannot create the lock file ${file}: ${describeFsError(cause)}`, { file: path, cause, code: fsErrorCode(cause) });
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(mine, file);
        break;
      } catch (cause) {
        if (fsErrorCode(cause) !== 'EEXIST' || attempt >= 2) {
          throw new OutputError(`cannot create the lock file ${file}: ${describeFsError(cause)}`, { file: path, cause, code: fsErrorCode(cause) });
        }
      }
      const owner = lockOwner(file);
      if (owner === process.pid) throw new OutputError('the output is given twice; each output needs its own path', { file: path });
      if (owner !== undefined && processIsAlive(owner)) {
        throw new OutputError(`another msse (process ${owner}) is writing this output; wait for it to finish or stop it (lock ${file})`, { file: path });
      }
      rmSync(file, { force: true }); // its owner is gone: take it over
    }
  } finally {
    rmSync(mine, { force: true });
  }
  hold(file);
  return { file, release: () => release(file) };
}

/** The process id in a lock file; undefined when it is unreadable, gone or holds no id. */
function lockOwner(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function release(file: string): void {
  if (!held.delete(file)) return;
  if (lockOwner(file) === process.pid) rmSync(file, { force: true });
  if (held.size === 0) uninstallHandlers();
}

function releaseAll(): void {
  for (const file of [...held]) release(file);
}

function onSignal(signal: NodeJS.Signals): void {
  releaseAll();
  uninstallHandlers();
  process.kill(process.pid, signal);
}

let installed = false;

function hold(file: string): void {
  held.add(file);
  if (installed) return;
  installed = true;
  process.on('exit', releaseAll);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function uninstallHandlers(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', releaseAll);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}
