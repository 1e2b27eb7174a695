import type { Command } from './command.ts';
import { mfccCommand } from './mfcc.ts';
import { infoCommand } from './info.ts';

/** Every `msse` subcommand, in the order `msse --help` lists them. */
export const commands: readonly Command[] = [
  mfccCommand,
  infoCommand,
];
