import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BACKEND_NAMES, type BackendName } from '../platform/node/backends.ts';
import { UsageError } from '../errors.ts';
import { MAX_THREADS } from '../backends/wasm/threads.ts';
import { defaultWasmThreads } from '../platform/node/workers.ts';

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

/**
 * Reads an integer option (`--length 96000`) in [min, max], written in decimal digits: `0x10`, `1e6`, `+5`, ` 7`
 * and anything else are a clear error, as is a value outside the range the code can handle.
 */
export function integerOption(args: ParsedArgs, name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  const value = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw new UsageError(`--${name} must be ${range}, got '${text}'`);
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

/** `--threads N` (the wasm backend's threads, 1 to 16; default: the cores up to 4); an error with another backend. */
export function threadsOption(args: ParsedArgs, backend: string): number | undefined {
  if (backend !== 'wasm') {
    if (stringOption(args, 'threads') !== undefined) throw new UsageError(`--threads applies to --backend wasm only (this run uses ${backend})`);
    return undefined;
  }
  return integerOption(args, 'threads', defaultWasmThreads(), 1, MAX_THREADS);
}
