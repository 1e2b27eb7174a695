/**
 * Whether a process with this id runs on this machine: signal 0 checks without sending anything. EPERM means it
 * runs under another user, so it counts as alive. Used to tell a lock or temporary file of a live msse from one a
 * killed msse left.
 */
export function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
