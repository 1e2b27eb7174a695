import { MsseError, UsageError } from '../errors.ts';
import { parseCommandArgs, type CliIO } from './command.ts';
import { commands } from './commands.ts';

const usage = () =>
  [
    'usage: msse <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`),
    '',
    'Run `msse <command> --help` for its options. Add --debug to any command for stack traces.',
  ].join('\n');

const io: CliIO = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  isTTY: process.stderr.isTTY === true,
};

/** The only place msse talks to the terminal about errors: one line, `msse: <message>`, exit 1 (2 for usage). */
async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.out(usage());
      return name === undefined ? 2 : 0;
    }
    const command = commands.find((c) => c.name === name);
    if (command === undefined) throw new UsageError(`unknown command '${name}'; run \`msse --help\` for the list`);
    const args = parseCommandArgs(command, rest);
    if (args.values.help === true) {
      io.out(command.help);
      return 0;
    }
    await command.run(args, io);
    return 0;
  } catch (error) {
    if (debug) {
      io.err(describeWithCauses(error));
    } else {
      io.err(`msse: ${error instanceof MsseError ? error.line : firstLine(error)}`);
    }
    return error instanceof UsageError ? 2 : 1;
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

function describeWithCauses(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e !== undefined; e = e instanceof Error ? e.cause : undefined) {
    parts.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
  }
  return parts.join('\ncaused by: ');
}

// `msse inspect MODEL | head` closes stdout early: that is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
