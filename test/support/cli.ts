import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

export interface CliResult { status: number | null; stdout: string; stderr: string }

/** Runs the built `msse` command (bin/msse.js -> dist/cli.js, as after `npm ci`) and captures its output. */
export function runMsse(args: string[], options: { cwd?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'msse.js'), ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Starts `msse args` and kills it with SIGKILL, as a crash or a killed job would stop it, once `ready()` holds
 * (polled every 10 ms). Resolves to the signal that ended it: null when it exited before `ready()` held.
 */
export async function killMsseWhen(args: string[], ready: () => boolean): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'msse.js'), ...args], { cwd: repoRoot, stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, signal) => resolve(signal)));
  while (!ready() && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
  child.kill('SIGKILL');
  return exited;
}
