import { spawnSync } from 'node:child_process';
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
