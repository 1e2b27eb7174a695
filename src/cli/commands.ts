import type { Command } from './command.ts';

/** Every `msse` subcommand, in the order `msse --help` lists them. */
export const commands: readonly Command[] = [];
