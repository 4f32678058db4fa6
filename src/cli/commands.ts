import { checkCommand } from './check.js';
import type { Command } from './command.js';
import { loadCommand } from './load.js';
import { matchCommand } from './match.js';
import { runCommand } from './run.js';
import { scanCommand } from './scan.js';

/** Every command of the `matcher` binary, in the order `matcher --help` lists them. */
export const commands: readonly Command[] = [
  runCommand,
  scanCommand,
  matchCommand,
  checkCommand,
  loadCommand,
];
