/**
 * The error types msse throws. Each carries a one-line message saying what was found and what was expected;
 * `file` names the input it concerns, so the CLI can print `msse: <file>: <message>` and nothing else.
 */
export class MsseError extends Error {
  readonly file: string | undefined;
  constructor(message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.file = options.file;
  }
  /** The line the CLI prints: `<file>: <message>` when a file is known. */
  get line(): string {
    return this.file === undefined ? this.message : `${this.file}: ${this.message}`;
  }
}

/** Bad command-line arguments (exit code 2). */
export class UsageError extends MsseError {}
/** A WAV file that cannot be decoded. */
export class WavError extends MsseError {}
/** A golden fixture folder that is missing, damaged or inconsistent. */
export class FixtureError extends MsseError {}
/** A tensor shape that breaks an op's contract. */
export class ShapeError extends MsseError {}
/** No adapter, a lost device, or a GPU validation error. */
export class GpuError extends MsseError {}
/** A model or data file that is not ours, truncated, or inconsistent. */
export class FormatError extends MsseError {}
/**
 * An output that must not or cannot be written: a folder or socket, one of the command's inputs, locked by another
 * msse, or a write the system refused (read-only, full, no permission). `file` is the path as the user gave it.
 */
export class OutputError extends MsseError {
  /** The system's error code (`EROFS`, `ENOSPC`) when the system refused, else undefined. */
  readonly code: string | undefined;
  constructor(message: string, options: { file?: string; cause?: unknown; code?: string } = {}) {
    super(message, options);
    this.code = options.code;
  }
}
/** Training that cannot go on: the loss or a parameter stopped being finite. */
export class TrainingError extends MsseError {}
/** A bug in msse, not a user mistake. */
export class InternalError extends MsseError {}

/** Asserts an internal invariant; failure is a bug in msse. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InternalError(message);
}
