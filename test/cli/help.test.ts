import { describe, expect, test } from 'vitest';
import { commands } from '../../src/cli/commands.ts';
import { runMsse } from '../support/cli.ts';

describe('msse --help', () => {
  test('lists every command', () => {
    const result = runMsse(['--help']);
    expect(result.status).toBe(0);
    for (const command of commands) expect(result.stdout).toContain(`  ${command.name.padEnd(14)} ${command.summary}`);
  });

  test.each(commands.map((c) => c.name))('msse %s --help prints its usage and exits 0', (name) => {
    const result = runMsse([name, '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^usage: msse ${name}`));
  });

  test('an unknown command is a usage error (exit 2)', () => {
    const result = runMsse(['frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("msse: unknown command 'frobnicate'; run `msse --help` for the list\n");
  });
});
