import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BACKEND_NAMES, type BackendName } from '../platform/node/backends.ts';
import { UsageError } from '../errors.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** What a subcommand may print to. Only the CLI talks to the terminal; library code returns values. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** True when stderr is a terminal: live progress lines are drawn only then. */
  readonly isTTY: boolean;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** One `msse` subcommand, defined in src/cli/<name>.ts. */
export interface Command {
  readonly name: string;
  /** One line for `msse --help`. */
  readonly summary: string;
  /** The whole `msse <name> --help` text. */
  readonly help: string;
  readonly options: OptionSpec;
  run(args: ParsedArgs, io: CliIO): Promise<void>;
}

/** Parses argv for a command; unknown flags and missing values become one-line UsageErrors. */
export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' }, debug: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new UsageError(`${command.name}: ${message}`);
  }
}

/** Reads a string option, or undefined when absent. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Reads a positive integer option (`--length 96000`), with a clear error for anything else. */
export function integerOption(args: ParsedArgs, name: string, fallback: number, min = 1): number {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(`--${name} must be an integer >= ${min}, got '${text}'`);
  }
  return value;
}

/** `--backend webgpu|reference`, `fallback` when absent. */
export function backendOption(args: ParsedArgs, fallback: BackendName = 'webgpu'): BackendName {
  const name = stringOption(args, 'backend') ?? fallback;
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(', ')}, got '${name}'`);
  }
  return name as BackendName;
}
