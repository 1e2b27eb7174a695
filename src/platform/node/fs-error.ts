/** File-system errors in plain words: the codes people actually hit, each with its code kept for searching. */

const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EBUSY: 'device or resource busy',
  ETXTBSY: 'text file busy',
  EEXIST: 'already exists',
  EXDEV: 'not on the same file system',
};

/** The Node error code of a failed file-system call (`EROFS`), or undefined for anything else. */
export function fsErrorCode(cause: unknown): string | undefined {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `read-only file system (EROFS)`; a code without words as itself; `unknown error` without a code. */
export function describeFsError(cause: unknown): string {
  const code = fsErrorCode(cause);
  if (code === undefined) return 'unknown error';
  const words = WORDS[code];
  return words === undefined ? code : `${words} (${code})`;
}
