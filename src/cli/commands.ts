import type { Command } from './command.ts';
import { mfccCommand } from './mfcc.ts';
import { infoCommand } from './info.ts';
import { inspectCommand } from './inspect.ts';
import { checkFixtureCommand } from './check-fixture.ts';
import { trainCommand } from './train.ts';
import { cvCommand } from './cv.ts';
import { classifyCommand } from './classify.ts';
import { serveCommand } from './serve.ts';
import { exportCommand } from './export.ts';
import { benchCommand } from './bench.ts';

/** Every `msse` subcommand, in the order `msse --help` lists them. */
export const commands: readonly Command[] = [
  mfccCommand,
  infoCommand,
  inspectCommand,
  checkFixtureCommand,
  trainCommand,
  cvCommand,
  classifyCommand,
  exportCommand,
  benchCommand,
  serveCommand,
];
